package dev.llmgateway.prompt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The record of every released prompt version's content hash: {@code name@version -> SHA-256}, kept in
 * a text file ({@value #DEFAULT_FILE_NAME}) next to the prompts and committed with them. Why: "a version
 * never changes" cannot be checked from the YAML alone (yesterday's content is gone); the lock keeps
 * yesterday's hash, so that editing a released version in place fails when the registry loads.
 *
 * <p>The file is one line per version, sorted by name then version, {@code #} starting a comment:
 * <pre>
 * # prompts.lock: content hashes of released prompt versions. Generated; commit it.
 * summarize@1 5f0c...e1
 * summarize@2 9a41...07
 * </pre>
 *
 * <p><b>The flow.</b>
 * <ol>
 *   <li>A prompt owner adds {@code summarize@3} to {@code summarize.yaml}. Loading accepts it: a version
 *       the lock does not know is new.
 *   <li>A build step (typically a unit test that builds the registry with
 *       {@link PromptRegistry.Builder#lockFile(Path)} pointing at the source tree's lock and
 *       {@link PromptRegistry.Builder#updateLock(boolean) updateLock(true)}, or code calling
 *       {@code registry.lock().write(path)}) adds {@code summarize@3}'s hash to the lock file; the owner
 *       commits the YAML and the lock together.
 *   <li>From then on, any load (tests, CI, the application reading {@code prompts/prompts.lock} from
 *       its jar) fails with a {@link PromptVersionConflictException} naming {@code summarize@3} and the
 *       file if its content no longer hashes to the recorded value: the owner restores it and adds
 *       {@code summarize@4} instead. Deleting a version leaves its line, so that the version cannot come
 *       back with other content either.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptLock {
  /** The lock file's name in a prompts folder: {@value}. */
  public static final String DEFAULT_FILE_NAME = "prompts.lock";

  private static final Pattern LINE =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)@([1-9][0-9]{0,9})\\s+([0-9a-f]{64})");
  private static final Comparator<String> BY_REF = Comparator
      .comparing((String ref) -> ref.substring(0, ref.lastIndexOf('@')))
      .thenComparingLong(ref -> Long.parseLong(ref.substring(ref.lastIndexOf('@') + 1)));
  private static final String HEADER = """
      # prompts.lock: the content hash (SHA-256) of every released prompt version. Generated; commit it.
      # A version whose content no longer matches its line fails to load: add a new version instead.
      """;

  private final Map<String, String> hashes;
  private final Map<String, String> origins;

  private PromptLock(Map<String, String> hashes, Map<String, String> origins) {
    Map<String, String> sorted = new TreeMap<>(BY_REF);
    sorted.putAll(hashes);
    this.hashes = java.util.Collections.unmodifiableMap(sorted);
    this.origins = Map.copyOf(origins);
  }

  /** A lock recording nothing. */
  public static PromptLock empty() {
    return new PromptLock(Map.of(), Map.of());
  }

  /**
   * Reads a lock file.
   *
   * @throws PromptDefinitionException when a line is malformed or a version is listed twice
   * @throws UncheckedIOException when the file cannot be read
   */
  public static PromptLock read(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prompt lock " + file, e);
    }
  }

  /**
   * Parses the text of a lock file.
   *
   * @param origin names the file in errors
   */
  public static PromptLock parse(String text, String origin) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(origin, "origin");
    Map<String, String> hashes = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new PromptDefinitionException(origin, "line " + (i + 1),
            "expected 'name@version sha256-hex'");
      }
      String ref = m.group(1) + "@" + Long.parseLong(m.group(2));
      if (hashes.put(ref, m.group(3)) != null) {
        throw new PromptDefinitionException(origin, "line " + (i + 1), ref + " is listed twice");
      }
    }
    Map<String, String> origins = new LinkedHashMap<>();
    hashes.keySet().forEach(ref -> origins.put(ref, origin));
    return new PromptLock(hashes, origins);
  }

  /** The recorded hashes, {@code name@version -> hex SHA-256}, sorted by name then version. */
  public Map<String, String> hashes() {
    return hashes;
  }

  /** The recorded hash of {@code ref} ({@code name@version}), or null when the lock does not know it. */
  public @Nullable String hashOf(String ref) {
    return hashes.get(ref);
  }

  /** The lock file that recorded {@code ref}, or null when none did (or it was added in code). */
  public @Nullable String originOf(String ref) {
    return origins.get(ref);
  }

  /**
   * Checks {@code prompt} against its recorded hash; a version the lock does not know passes.
   *
   * @param source the file the version was loaded from, for the error; null for code
   * @throws PromptVersionConflictException when the recorded hash differs from the prompt's
   */
  public void verify(Prompt prompt, @Nullable String source) {
    String recorded = hashes.get(prompt.ref());
    if (recorded != null && !recorded.equals(prompt.contentHash())) {
      String lockFile = origins.get(prompt.ref());
      throw new PromptVersionConflictException(prompt.ref(), source,
          "content changed without a version bump: it hashes to " + prompt.contentHash()
              + " but " + (lockFile != null ? lockFile : "the lock") + " records " + recorded
              + " (its templates, partials, parameters or model changed); restore it and add a new"
              + " version instead");
    }
  }

  /**
   * This lock plus {@code prompts} it does not record yet.
   *
   * @throws PromptVersionConflictException when one of them contradicts a recorded hash
   */
  public PromptLock with(Collection<Prompt> prompts) {
    Map<String, String> hashes = new LinkedHashMap<>(this.hashes);
    for (Prompt prompt : prompts) {
      verify(prompt, null);
      hashes.putIfAbsent(prompt.ref(), prompt.contentHash());
    }
    return new PromptLock(hashes, origins);
  }

  /**
   * The entries of both locks.
   *
   * @throws PromptVersionConflictException when they record different hashes for one version
   */
  public PromptLock merge(PromptLock other) {
    Map<String, String> hashes = new LinkedHashMap<>(this.hashes);
    Map<String, String> origins = new LinkedHashMap<>(this.origins);
    for (Map.Entry<String, String> e : other.hashes.entrySet()) {
      String mine = hashes.putIfAbsent(e.getKey(), e.getValue());
      if (mine != null && !mine.equals(e.getValue())) {
        throw new PromptVersionConflictException(e.getKey(), other.originOf(e.getKey()),
            "records hash " + e.getValue() + " but " + this.originOf(e.getKey()) + " records " + mine);
      }
      String origin = other.originOf(e.getKey());
      if (origin != null) {
        origins.putIfAbsent(e.getKey(), origin);
      }
    }
    return new PromptLock(hashes, origins);
  }

  /** The lock file's text: a header comment, then one sorted line per version. */
  public String format() {
    StringBuilder sb = new StringBuilder(HEADER);
    hashes.forEach((ref, hash) -> sb.append(ref).append(' ').append(hash).append('\n'));
    return sb.toString();
  }

  /**
   * Writes {@link #format()} to {@code file} (through a temporary file, replacing it atomically where
   * the file system can), creating parent directories.
   */
  public void write(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.writeString(temp, format(), StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write prompt lock " + file, e);
    }
  }

  /** Equal when the recorded hashes are (origins aside). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PromptLock l && hashes.equals(l.hashes);
  }

  @Override
  public int hashCode() {
    return hashes.hashCode();
  }

  @Override
  public String toString() {
    return "PromptLock[" + hashes.size() + " versions]";
  }
}

package dev.llmgateway.redaction;

import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.redaction.internal.Overlaps;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RedactionInterceptor} looks for and what it does with it. Immutable; build one with
 * {@link #builder()}:
 *
 * <pre>{@code
 * RedactionPolicy policy = RedactionPolicy.builder()
 *     .mode(PiiType.CARD, RedactionMode.REFUSE)
 *     .mode(PiiType.IPV4, RedactionMode.ALLOW)
 *     .addDetector(PiiDetector.regex(PiiType.of("EMPLOYEE_ID"), "\\bEMP-\\d{6}\\b"))
 *     .hashSalt(System.getenv("REDACTION_SALT"))
 *     .build();
 * }</pre>
 *
 * <p>{@link #toString()} never shows the salt.
 *
 * @param detectors the detectors to run, in priority order for ties (see {@link #detect(String)})
 * @param modes the mode per type; types not in the map get {@code otherTypesMode}
 * @param otherTypesMode the mode for types not in {@code modes}, e.g. the host's own
 * @param hashSalt the salt of {@link RedactionMode#HASH}; the same salt gives the same hashes
 * @param hashLength how many hex digits of the salted SHA-256 a hash shows, 8 to 64
 */
public record RedactionPolicy(List<PiiDetector> detectors, Map<PiiType, RedactionMode> modes,
    RedactionMode otherTypesMode, String hashSalt, int hashLength) {

  /** The detectors run by default: {@link PiiDetectors#all()}. */
  public static final List<PiiDetector> DEFAULT_DETECTORS = PiiDetectors.all();
  /**
   * The mode per type by default: {@link RedactionMode#PLACEHOLDER} for personal data
   * ({@link PiiType#PERSONAL_DATA}: the model can still refer to the value and the caller sees it
   * restored), {@link RedactionMode#MASK} for secrets ({@link PiiType#SECRETS}: a key has no business
   * in a prompt, or in an answer).
   */
  public static final Map<PiiType, RedactionMode> DEFAULT_MODES = defaultModes();
  /**
   * The mode for types not in the mode map by default, e.g. the host's own:
   * {@link RedactionMode#PLACEHOLDER}.
   */
  public static final RedactionMode DEFAULT_OTHER_TYPES_MODE = RedactionMode.PLACEHOLDER;
  /** Hex digits shown by a hash by default: {@value} (48 bits). */
  public static final int DEFAULT_HASH_LENGTH = 12;
  /** Bytes of the random salt drawn when no salt is set: {@value}. */
  public static final int DEFAULT_SALT_BYTES = 16;

  public RedactionPolicy {
    Check.nonNull(detectors, "detectors");
    for (PiiDetector d : detectors) {
      Check.nonNull(d, "detectors element");
    }
    detectors = List.copyOf(detectors);
    Check.that(!detectors.isEmpty(), "a redaction policy needs at least one detector");
    Check.nonNull(modes, "modes");
    modes.forEach((type, mode) -> {
      Check.nonNull(type, "modes key");
      Check.nonNull(mode, "modes[" + type + "]");
    });
    modes = Map.copyOf(modes);
    Check.nonNull(otherTypesMode, "otherTypesMode");
    Check.nonNull(hashSalt, "hashSalt");
    Check.that(!hashSalt.isEmpty(), "hashSalt must not be empty");
    Check.that(hashLength >= 8 && hashLength <= 64, "hashLength must be in 8..64, was " + hashLength);
  }

  private static Map<PiiType, RedactionMode> defaultModes() {
    Map<PiiType, RedactionMode> m = new HashMap<>();
    PiiType.PERSONAL_DATA.forEach(t -> m.put(t, RedactionMode.PLACEHOLDER));
    PiiType.SECRETS.forEach(t -> m.put(t, RedactionMode.MASK));
    return Map.copyOf(m);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The policy with every default (and a fresh random salt). */
  public static RedactionPolicy defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.detectors.clear();
    b.detectors.addAll(detectors);
    b.modes.clear();
    b.modes.putAll(modes);
    b.otherTypesMode = otherTypesMode;
    b.hashSalt = hashSalt;
    b.hashLength = hashLength;
    return b;
  }

  /** What is done with values of {@code type}. */
  public RedactionMode modeFor(PiiType type) {
    return modes.getOrDefault(type, otherTypesMode);
  }

  /**
   * Runs every detector on {@code text} and returns the matches to act on, ordered by start and never
   * overlapping. Overlaps are resolved deterministically: the longest match wins; between equally long
   * ones the earliest; between matches of the very same span, the one from the detector listed first.
   * A match that overlaps one already kept is dropped whole (it is not trimmed).
   *
   * @throws dev.llmgateway.error.LlmConfigurationException when a detector reports a match that is not
   *     a span of {@code text}
   */
  public List<PiiMatch> detect(String text) {
    List<List<PiiMatch>> perDetector = null;
    for (int i = 0; i < detectors.size(); i++) {
      PiiDetector detector = detectors.get(i);
      List<PiiMatch> found = detector.detect(text);
      Check.nonNull(found, "matches of detector " + detector.getClass().getName());
      if (found.isEmpty()) {
        continue;
      }
      for (PiiMatch m : found) {
        Check.that(m != null && m.end() <= text.length()
                && text.regionMatches(m.start(), m.value(), 0, m.length()),
            "detector " + detector.getClass().getName() + " reported a match that is not a span of the text");
      }
      if (perDetector == null) {
        perDetector = new ArrayList<>(detectors.size());
        for (int k = 0; k < detectors.size(); k++) {
          perDetector.add(List.of());
        }
      }
      perDetector.set(i, found);
    }
    return perDetector == null ? List.of() : Overlaps.resolve(perDetector);
  }

  @Override
  public String toString() {
    return "RedactionPolicy[detectors=" + detectors.size() + ", modes=" + modes + ", otherTypesMode="
        + otherTypesMode + ", hashSalt=(hidden), hashLength=" + hashLength + "]";
  }

  /** Builds a {@link RedactionPolicy}. Not thread-safe. */
  public static final class Builder {
    private final List<PiiDetector> detectors = new ArrayList<>(DEFAULT_DETECTORS);
    private final Map<PiiType, RedactionMode> modes = new LinkedHashMap<>(DEFAULT_MODES);
    private RedactionMode otherTypesMode = DEFAULT_OTHER_TYPES_MODE;
    private @Nullable String hashSalt;
    private int hashLength = DEFAULT_HASH_LENGTH;

    private Builder() {}

    /** Replaces the detectors. Defaults to {@link #DEFAULT_DETECTORS}, every built-in detector. */
    public Builder detectors(List<PiiDetector> detectors) {
      Check.nonNull(detectors, "detectors");
      this.detectors.clear();
      detectors.forEach(this::addDetector);
      return this;
    }

    /** Adds a detector after those already set (the built-in ones by default). */
    public Builder addDetector(PiiDetector detector) {
      detectors.add(Check.nonNull(detector, "detector"));
      return this;
    }

    /** Adds {@link PiiDetector#regex(PiiType, String)}. */
    public Builder addRegex(PiiType type, String regex) {
      return addDetector(PiiDetector.regex(type, regex));
    }

    /** Adds {@link PiiDetector#dictionary(PiiType, Collection)}. */
    public Builder addDictionary(PiiType type, Collection<String> words) {
      return addDetector(PiiDetector.dictionary(type, words));
    }

    /**
     * What to do with values of {@code type}. Defaults to {@link #DEFAULT_MODES}: placeholders for
     * personal data, masks for secrets; other types get {@link #otherTypesMode}.
     */
    public Builder mode(PiiType type, RedactionMode mode) {
      modes.put(Check.nonNull(type, "type"), Check.nonNull(mode, "mode"));
      return this;
    }

    /** {@link #mode(PiiType, RedactionMode)} for each of {@code types}, e.g. {@link PiiType#SECRETS}. */
    public Builder modes(Collection<PiiType> types, RedactionMode mode) {
      Check.nonNull(types, "types").forEach(t -> mode(t, mode));
      return this;
    }

    /**
     * The mode of types without one of their own, such as the host's. Defaults to
     * {@link #DEFAULT_OTHER_TYPES_MODE}, {@link RedactionMode#PLACEHOLDER}.
     */
    public Builder otherTypesMode(RedactionMode mode) {
      this.otherTypesMode = Check.nonNull(mode, "otherTypesMode");
      return this;
    }

    /**
     * The salt of {@link RedactionMode#HASH}. Defaults to {@link #DEFAULT_SALT_BYTES} random bytes drawn
     * from {@link SecureRandom} when the policy is built: hashes are then stable for the life of the
     * policy (one gateway) and differ after a restart. Set it to keep hashes stable across instances and
     * restarts; keep it secret, as it is what stops a guess from being confirmed by hashing it.
     */
    public Builder hashSalt(String salt) {
      Check.nonNull(salt, "hashSalt");
      Check.that(!salt.isEmpty(), "hashSalt must not be empty");
      this.hashSalt = salt;
      return this;
    }

    /**
     * How many hex digits of the salted SHA-256 a hash shows, 8 to 64. Defaults to
     * {@value #DEFAULT_HASH_LENGTH}.
     */
    public Builder hashLength(int hexDigits) {
      this.hashLength = hexDigits;
      return this;
    }

    public RedactionPolicy build() {
      String salt = hashSalt;
      if (salt == null) {
        byte[] random = new byte[DEFAULT_SALT_BYTES];
        new SecureRandom().nextBytes(random);
        salt = HexFormat.of().formatHex(random);
      }
      return new RedactionPolicy(detectors, modes, otherTypesMode, salt, hashLength);
    }
  }
}

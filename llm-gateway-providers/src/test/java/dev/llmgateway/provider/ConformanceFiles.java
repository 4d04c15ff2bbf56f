package dev.llmgateway.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Reads the recorded provider payloads under the {@code conformance.dir} system property. */
public final class ConformanceFiles {
  private ConformanceFiles() {}

  public static Path dir() {
    String configured = System.getProperty("conformance.dir");
    Path dir = configured != null ? Paths.get(configured) : Paths.get("../../shared/conformance");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("conformance files not found at " + dir.toAbsolutePath()
          + "; set -Dconformance.dir");
    }
    return dir;
  }

  public static Path file(String provider, String name) {
    return dir().resolve(provider).resolve(name);
  }

  /** The files of {@code provider} whose names end with one of {@code suffixes}, sorted. */
  public static List<Path> files(String provider, String... suffixes) {
    try (Stream<Path> s = Files.list(dir().resolve(provider))) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        for (String suffix : suffixes) {
          if (n.endsWith(suffix)) {
            return true;
          }
        }
        return false;
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(Path file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  /**
   * The file as an SSE body: {@code .sse} files as recorded; {@code .jsonl} files with each line prefixed
   * by {@code data: } and followed by a blank line, plus {@code data: [DONE]} when {@code openAiDone}.
   */
  public static byte[] asSse(Path file, boolean openAiDone) {
    String name = file.getFileName().toString();
    if (name.endsWith(".sse")) {
      return bytes(file);
    }
    if (!name.endsWith(".jsonl")) {
      throw new IllegalArgumentException("not a stream recording: " + file);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line : jsonLines(file)) {
      out.writeBytes(("data: " + line + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
    if (openAiDone) {
      out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** The non-blank lines of a {@code .jsonl} file. */
  public static List<String> jsonLines(Path file) {
    return text(file).lines().filter(l -> !l.isBlank()).toList();
  }
}

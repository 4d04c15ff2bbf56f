package dev.llmgateway.provider.internal.ndjson;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import okio.BufferedSource;
import okio.Okio;
import org.jspecify.annotations.Nullable;

/**
 * Reads newline-delimited JSON ({@code application/x-ndjson}) one line at a time, for providers that
 * stream a JSON object per line (Ollama). Lines end with LF or CRLF, are decoded as UTF-8 whole (so a
 * character split between network reads is never broken), and blank lines are skipped. A last line
 * without a line end is still returned. Parsing the JSON is the caller's job.
 *
 * <p>Not thread-safe; closing it closes the source.
 */
public final class NdjsonReader implements Closeable {
  private final BufferedSource source;

  public NdjsonReader(BufferedSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  public NdjsonReader(InputStream in) {
    this(Okio.buffer(Okio.source(Objects.requireNonNull(in, "in"))));
  }

  /**
   * Blocks until the next non-blank line is complete.
   *
   * @return the line without its line end, or null at the end of the input
   */
  public @Nullable String nextLine() throws IOException {
    while (true) {
      String line = source.readUtf8Line();
      if (line == null) {
        return null;
      }
      if (!line.isBlank()) {
        return line;
      }
    }
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}

package dev.llmgateway.provider.internal.sse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * A pull reader of Server-Sent Events over a blocking byte source (an {@link InputStream} or an okio
 * {@link BufferedSource}, such as an OkHttp response body). {@link #next()} returns as soon as one event is
 * complete: it reads only what the source has available (a read never waits to fill its buffer), so
 * events reach the caller as they arrive. Decoding follows {@link SseParser}.
 *
 * <p>Not thread-safe; closing it closes the source.
 */
public final class SseReader implements Closeable {

  /** Bytes asked of the source per read. */
  public static final int DEFAULT_BUFFER_SIZE = 8192;

  private final ByteSource source;
  private final Closeable closeable;
  private final SseParser parser = new SseParser();
  private final ArrayDeque<SseEvent> ready = new ArrayDeque<>();
  private final Consumer<SseEvent> enqueue = ready::add;
  private final byte[] buffer = new byte[DEFAULT_BUFFER_SIZE];
  private boolean endOfInput;

  /** Reads events from {@code in}. */
  public SseReader(InputStream in) {
    Objects.requireNonNull(in, "in");
    this.source = in::read;
    this.closeable = in;
  }

  /** Reads events from {@code source}. */
  public SseReader(BufferedSource source) {
    Objects.requireNonNull(source, "source");
    this.source = source::read;
    this.closeable = source;
  }

  /**
   * Blocks until the next event is complete.
   *
   * @return the event, or null once the source is exhausted and every event has been returned
   * @throws IOException when reading the source fails
   */
  public @Nullable SseEvent next() throws IOException {
    while (ready.isEmpty()) {
      if (endOfInput) {
        return null;
      }
      int n = source.read(buffer, 0, buffer.length);
      if (n < 0) {
        endOfInput = true;
        parser.finish(enqueue);
      } else {
        parser.feed(buffer, 0, n, enqueue);
      }
    }
    return ready.poll();
  }

  /**
   * Whether the source is exhausted. An event returned once this is true may have been cut off (it was
   * dispatched at the end of the input, see {@link SseParser#finish}), so a decoding failure then means a
   * truncated stream rather than a malformed one.
   */
  public boolean endOfInput() {
    return endOfInput;
  }

  /** The last valid {@code retry:} value in milliseconds; null when none arrived. */
  public @Nullable Long retryMillis() {
    return parser.retryMillis();
  }

  @Override
  public void close() throws IOException {
    closeable.close();
  }

  @FunctionalInterface
  private interface ByteSource {
    int read(byte[] sink, int offset, int length) throws IOException;
  }
}

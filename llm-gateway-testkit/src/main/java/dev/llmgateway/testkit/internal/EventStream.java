package dev.llmgateway.testkit.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketHandler;
import okio.BufferedSink;
import okio.Okio;
import okio.Sink;

/**
 * A server-sent event stream written by hand in HTTP/1.1 chunked framing, one {@code data:} event per HTTP
 * chunk, flushed one by one with a real pause between them.
 *
 * <p>Written by hand because MockWebServer's own bodies have a known length or are chunked all at once. A
 * complete stream is a {@link MockResponseBody} (the connection stays reusable: MockWebServer adds the empty
 * trailer section after the last chunk); a truncated one is a {@link SocketHandler} that stops after some
 * events, after which the response's {@code onResponseEnd} effect closes the socket.
 *
 * <p>Pauses wait on the server's closing latch, so closing the server never waits for a scripted delay.
 */
public final class EventStream {

  private final List<String> payloads;
  private final Duration delay;
  private final CountDownLatch closing;

  /**
   * @param payloads the data of each event, in order ({@code [DONE]} included when wanted)
   * @param delay the pause before each event but the first
   * @param closing counted down when the server closes
   */
  public EventStream(List<String> payloads, Duration delay, CountDownLatch closing) {
    this.payloads = List.copyOf(payloads);
    this.delay = delay;
    this.closing = closing;
  }

  /** The whole stream, ending with the last-chunk marker. */
  public MockResponseBody complete() {
    return new MockResponseBody() {
      @Override
      public long getContentLength() {
        return -1;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        writeEvents(sink, payloads.size());
        sink.writeUtf8("0\r\n"); // the last chunk; MockWebServer writes the (empty) trailers after it
        sink.flush();
      }
    };
  }

  /** The first {@code events} events, then nothing: the socket is closed by the response's end effect. */
  public SocketHandler truncated(int events) {
    return socket -> {
      Sink raw = socket.getSink();
      BufferedSink sink = raw instanceof BufferedSink buffered ? buffered : Okio.buffer(raw);
      try {
        writeEvents(sink, Math.min(events, payloads.size()));
      } catch (IOException e) {
        // the client went away or the server is closing: nothing left to do
      }
    };
  }

  private void writeEvents(BufferedSink sink, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        pause();
      }
      byte[] event = ("data: " + payloads.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8);
      sink.writeHexadecimalUnsignedLong(event.length);
      sink.writeUtf8("\r\n");
      sink.write(event);
      sink.writeUtf8("\r\n");
      sink.flush();
    }
  }

  private void pause() throws IOException {
    if (delay.isZero()) {
      return;
    }
    try {
      if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException("FakeLlmServer is closing");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during a chunk delay");
    }
  }
}

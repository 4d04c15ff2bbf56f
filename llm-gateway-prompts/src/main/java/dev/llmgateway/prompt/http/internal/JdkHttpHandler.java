package dev.llmgateway.prompt.http.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.llmgateway.prompt.http.FunctionHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Adapts the endpoint's host-agnostic handler to the JDK's {@link HttpHandler}: reads a bounded body,
 * writes the response's status, headers and body, and always closes the exchange.
 *
 * <p><b>A body over the limit</b> is answered 413 with {@code Connection: close} as soon as it is
 * known to be too large, and then read and thrown away, up to {@link #DISCARD_LIMIT} bytes, before the
 * connection closes. Closing a connection whose client is still sending makes the client's system
 * answer with a reset, which destroys the 413 before the client reads it; reading the rest first lets
 * a client that sends its whole body before reading (most do) get its 413. A body declared larger than
 * {@link #DISCARD_LIMIT} is not read at all, and a chunked one longer than that not to its end: the
 * client may see a reset.
 *
 * <p><b>A client that stops sending</b> (or reading) is not waited for beyond the I/O timeout: a
 * {@link Watchdog} interrupts the thread, which closes the connection. The wait for the request line and
 * headers happens before the handler runs and is the JDK server's own (see {@code FunctionServer}).
 */
public final class JdkHttpHandler implements HttpHandler {

  /**
   * The most bytes of a body over the limit read and thrown away before the connection closes:
   * {@value} (8 MiB).
   */
  public static final int DISCARD_LIMIT = 8 * 1024 * 1024;

  /** The endpoint's {@code handle} method. */
  @FunctionalInterface
  public interface Core {
    FunctionHttpResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body);
  }

  private final Core core;
  private final int maxRequestBytes;
  private final Duration ioTimeout;
  private final Function<String, FunctionHttpResponse> tooLarge;
  private final Watchdog watchdog = new Watchdog();

  /**
   * @param core answers a request
   * @param maxRequestBytes the largest body read; a longer one is refused with 413
   * @param ioTimeout the longest wait for a body to arrive, and then for an answer to be sent
   * @param tooLarge the 413 answer for a path
   */
  public JdkHttpHandler(Core core, int maxRequestBytes, Duration ioTimeout,
      Function<String, FunctionHttpResponse> tooLarge) {
    this.core = Objects.requireNonNull(core, "core");
    this.maxRequestBytes = maxRequestBytes;
    this.ioTimeout = Objects.requireNonNull(ioTimeout, "ioTimeout");
    this.tooLarge = Objects.requireNonNull(tooLarge, "tooLarge");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Watchdog.Watch watch = watchdog.watch(ioTimeout);
    try {
      InputStream in = exchange.getRequestBody();
      long declared = declaredLength(exchange);
      byte[] body = declared > maxRequestBytes ? new byte[0]
          : readAtMost(in, (int) Math.min(Integer.MAX_VALUE, maxRequestBytes + 1L));
      if (declared > maxRequestBytes || body.length > maxRequestBytes) {
        send(exchange, method, closing(tooLarge.apply(path)));
        if (declared <= DISCARD_LIMIT) { // -1 (chunked) included: up to DISCARD_LIMIT more
          discard(in, DISCARD_LIMIT);
        }
        return; // the exchange closes under the watch: the JDK's own drain on close is bounded too
      }
      watch.close();
      FunctionHttpResponse response = core.handle(method, path, exchange.getRequestHeaders(), body);
      watch = watchdog.watch(ioTimeout);
      send(exchange, method, response);
    } finally {
      try {
        exchange.close();
      } finally {
        watch.close();
      }
    }
  }

  /** Writes the status, headers and body, leaving the exchange open. */
  private static void send(HttpExchange exchange, String method, FunctionHttpResponse response)
      throws IOException {
    boolean head = method.equals("HEAD");
    response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
    byte[] body = response.body();
    // A HEAD answer carries the Content-Length of the GET answer as a header of its own (the JDK
    // server sends none for HEAD), and no body.
    exchange.sendResponseHeaders(response.status(), body.length == 0 || head ? -1 : body.length);
    if (body.length > 0 && !head) {
      exchange.getResponseBody().write(body);
    }
  }

  private static FunctionHttpResponse closing(FunctionHttpResponse response) {
    Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
    headers.put("Connection", List.of("close"));
    return new FunctionHttpResponse(response.status(), headers, response.body());
  }

  /** The Content-Length of the request; -1 for none (a chunked body, or none at all). */
  private static long declaredLength(HttpExchange exchange) {
    if (exchange.getRequestHeaders().getFirst("Transfer-Encoding") != null) {
      return -1; // the JDK server reads a chunked body whatever Content-Length says
    }
    return contentLength(exchange.getRequestHeaders().getFirst("Content-Length"));
  }

  private static long contentLength(@Nullable String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int total = 0;
    while (total < limit) {
      int n = in.read(buffer, 0, Math.min(buffer.length, limit - total));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      total += n;
    }
    return out.toByteArray();
  }

  /** Reads and throws away up to {@code limit} bytes, or the rest of the body if it ends before. */
  private static void discard(InputStream in, long limit) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    while (total < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
      if (n < 0) {
        return;
      }
      total += n;
    }
  }
}

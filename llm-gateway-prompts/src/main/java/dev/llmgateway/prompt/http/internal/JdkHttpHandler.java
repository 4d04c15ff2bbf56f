package dev.llmgateway.prompt.http.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.llmgateway.prompt.http.FunctionHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Adapts the endpoint's host-agnostic handler to the JDK's {@link HttpHandler}: reads a bounded body,
 * writes the response's status, headers and body, and always closes the exchange.
 */
public final class JdkHttpHandler implements HttpHandler {

  /** The endpoint's {@code handle} method. */
  @FunctionalInterface
  public interface Core {
    FunctionHttpResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body);
  }

  private final Core core;
  private final int maxRequestBytes;
  private final Function<String, FunctionHttpResponse> tooLarge;

  /**
   * @param core answers a request
   * @param maxRequestBytes the largest body read; a longer one is not read further
   * @param tooLarge the 413 answer for a path
   */
  public JdkHttpHandler(Core core, int maxRequestBytes, Function<String, FunctionHttpResponse> tooLarge) {
    this.core = core;
    this.maxRequestBytes = maxRequestBytes;
    this.tooLarge = tooLarge;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      FunctionHttpResponse response;
      long declared = contentLength(exchange.getRequestHeaders().getFirst("Content-Length"));
      if (declared > maxRequestBytes) {
        response = tooLarge.apply(path);
      } else {
        byte[] body = readAtMost(exchange.getRequestBody(), maxRequestBytes + 1);
        response = body.length > maxRequestBytes ? tooLarge.apply(path)
            : core.handle(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body);
      }
      response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.status(),
          response.body().length == 0 || head ? -1 : response.body().length);
      if (response.body().length > 0 && !head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
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
}

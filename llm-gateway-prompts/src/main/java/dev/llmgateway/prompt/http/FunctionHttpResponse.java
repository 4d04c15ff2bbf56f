package dev.llmgateway.prompt.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP response of a {@link FunctionEndpoint}, independent of any server: what a host writes back
 * through its own server (Servlet, Netty...).
 *
 * @param status the HTTP status
 * @param headers the response headers, e.g. {@code Content-Type}, {@code Retry-After}; names as
 *     written, one list of values per name
 * @param body the response body, JSON or problem+json; empty for none. Not copied: do not change it
 */
public record FunctionHttpResponse(int status, Map<String, List<String>> headers, byte[] body) {

  public FunctionHttpResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in [100, 599], was " + status);
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers").forEach((name, values) ->
        copy.put(Objects.requireNonNull(name, "header name"), List.copyOf(values)));
    headers = java.util.Collections.unmodifiableMap(copy);
    Objects.requireNonNull(body, "body");
  }

  /** The first value of the header {@code name}, matched case-insensitively; null when absent. */
  public @Nullable String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The status and headers only: a body may hold a user's data, so it never goes to logs this way. */
  @Override
  public String toString() {
    return "FunctionHttpResponse[status=" + status + ", headers=" + headers + ", body=" + body.length
        + " bytes]";
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FunctionHttpResponse other && status == other.status
        && headers.equals(other.headers) && java.util.Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, java.util.Arrays.hashCode(body));
  }
}

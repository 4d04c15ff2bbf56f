package dev.llmgateway.provider;

import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import okio.Buffer;

/** Canned MockWebServer answers for adapter tests. */
public final class MockResponses {
  private MockResponses() {}

  /** An {@code application/json} answer with the given status, body and header pairs. */
  public static MockResponse json(int code, String body, String... headerNamesAndValues) {
    return withHeaders(new MockResponse.Builder().code(code)
        .addHeader("Content-Type", "application/json").body(body), headerNamesAndValues).build();
  }

  /** A 200 {@code text/event-stream} answer with {@code body} and the given header pairs. */
  public static MockResponse sse(byte[] body, String... headerNamesAndValues) {
    return withHeaders(new MockResponse.Builder().code(200)
        .addHeader("Content-Type", "text/event-stream").body(new Buffer().write(body)),
        headerNamesAndValues).build();
  }

  public static MockResponse sse(String body, String... headerNamesAndValues) {
    return sse(body.getBytes(StandardCharsets.UTF_8), headerNamesAndValues);
  }

  private static MockResponse.Builder withHeaders(MockResponse.Builder b, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      b.addHeader(pairs[i], pairs[i + 1]);
    }
    return b;
  }
}

package dev.llmgateway.provider.openai;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.spi.Secret;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okio.Buffer;

/** Shared fixtures for the OpenAI adapter tests. */
final class OpenAiTestSupport {
  static final String API_KEY = "sk-test-THIS-KEY-MUST-NEVER-LEAK-0123456789";
  static final String REQUEST_ID = "req_0123456789abcdef";

  private OpenAiTestSupport() {}

  static OpenAiChatProvider.Builder providerFor(MockWebServer server, OkHttpClient client) {
    return OpenAiChatProvider.builder()
        .baseUrl(server.url("/v1").toString())
        .apiKey(Secret.of(API_KEY))
        .httpClient(client);
  }

  static ChatRequest simpleRequest() {
    return ChatRequest.builder().model("gpt-4o").user("Say hi").build();
  }

  static MockResponse sse(byte[] body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "text/event-stream")
        .addHeader("x-request-id", REQUEST_ID)
        .body(new Buffer().write(body))
        .build();
  }

  static MockResponse sse(String body) {
    return sse(body.getBytes(StandardCharsets.UTF_8));
  }

  static MockResponse json(int code, String body, String... headerNamesAndValues) {
    MockResponse.Builder b = new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", REQUEST_ID)
        .body(body);
    for (int i = 0; i < headerNamesAndValues.length; i += 2) {
      b.addHeader(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
    }
    return b.build();
  }

  /** One {@code data:} event holding a chat.completion.chunk with a text delta for choice 0. */
  static String textChunk(String text) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n";
  }

  static String finishChunk(String reason) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}\n\n";
  }

  static final String DONE = "data: [DONE]\n\n";

  static final String SIMPLE_COMPLETION = """
      {"id":"chatcmpl-9","object":"chat.completion","model":"gpt-4o-2024-08-06",
       "choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""";
}

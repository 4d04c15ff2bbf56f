package dev.llmgateway.provider.mistral;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.spi.Secret;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/** Shared fixtures for the Mistral adapter tests. */
final class MistralTestSupport {
  static final String API_KEY = "mistral-key-THIS-MUST-NEVER-LEAK-0123456789";
  static final String REQUEST_ID = "mistral-req-0123";
  static final String MODEL = "mistral-small-latest";

  private MistralTestSupport() {}

  static MistralChatProvider.Builder providerFor(MockWebServer server, OkHttpClient client) {
    return MistralChatProvider.builder()
        .baseUrl(server.url("/v1").toString())
        .apiKey(Secret.of(API_KEY))
        .httpClient(client);
  }

  static ChatRequest request() {
    return ChatRequest.builder().model(MODEL).user("Say hi").build();
  }

  static final String COMPLETION = """
      {"id":"m1","object":"chat.completion","created":1,"model":"mistral-small-latest",
       "usage":{"prompt_tokens":5,"total_tokens":7,"completion_tokens":2},
       "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hi!",
       "tool_calls":null}}]}""";
}

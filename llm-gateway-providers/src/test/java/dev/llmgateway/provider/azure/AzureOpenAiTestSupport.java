package dev.llmgateway.provider.azure;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.spi.Secret;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/** Shared fixtures for the Azure OpenAI adapter tests. */
final class AzureOpenAiTestSupport {
  static final String API_KEY = "azkey-THIS-KEY-MUST-NEVER-LEAK-0123456789abcdef";
  static final String APIM_REQUEST_ID = "3f0e9c1a-apim-4d2b-9e57-0a1b2c3d4e5f";
  static final String DEPLOYMENT = "my-gpt-4o";

  private AzureOpenAiTestSupport() {}

  static AzureOpenAiChatProvider.Builder providerFor(MockWebServer server, OkHttpClient client) {
    return AzureOpenAiChatProvider.builder()
        .endpoint(server.url("/").toString())
        .apiKey(Secret.of(API_KEY))
        .httpClient(client);
  }

  static ChatRequest request() {
    return ChatRequest.builder().model(DEPLOYMENT).user("Say hi").build();
  }

  static MockResponse json(int code, String body, String... headerNamesAndValues) {
    String[] headers = new String[headerNamesAndValues.length + 2];
    headers[0] = "apim-request-id";
    headers[1] = APIM_REQUEST_ID;
    System.arraycopy(headerNamesAndValues, 0, headers, 2, headerNamesAndValues.length);
    return MockResponses.json(code, body, headers);
  }

  static final String COMPLETION = """
      {"id":"chatcmpl-az1","object":"chat.completion","model":"gpt-4o-2024-08-06",
       "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],
       "choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop",
         "content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],
       "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""";

  /**
   * A prompt-filter error shaped as Azure documents it (no recording exists): HTTP 400, code
   * {@code content_filter}, inner error {@code ResponsibleAIPolicyViolation} with the categories.
   */
  static final String PROMPT_FILTERED = """
      {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's \
      content management policy. Please modify your prompt and retry.","type":null,"param":"prompt",\
      "code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation",\
      "content_filter_result":{"hate":{"filtered":false,"severity":"safe"},\
      "jailbreak":{"filtered":true,"detected":true},"self_harm":{"filtered":false,"severity":"safe"},\
      "sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}}}""";
}

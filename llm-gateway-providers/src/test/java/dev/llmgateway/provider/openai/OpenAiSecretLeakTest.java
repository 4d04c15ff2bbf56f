package dev.llmgateway.provider.openai;

import static dev.llmgateway.provider.openai.OpenAiTestSupport.API_KEY;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.json;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.sse;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.textChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.provider.SecretLeakAssertions;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API key, and the prompt, appear in no exception message, stack trace or toString. */
class OpenAiSecretLeakTest {
  private static final String PROMPT = "PROMPT-TEXT-that-must-not-be-logged";
  private final OkHttpClient client = new OkHttpClient();
  private MockWebServer server;
  private OpenAiChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = OpenAiTestSupport.providerFor(server, client).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String errorEchoing(String message, String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\",\"code\":\""
        + code + "\"}}";
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("400", false, json(400, errorEchoing("bad request with key " + API_KEY, "invalid"))),
        Arguments.of("401", false, json(401, errorEchoing("Incorrect API key provided: " + API_KEY
            + ". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_api_key"))),
        Arguments.of("401 masked", false, json(401, errorEchoing("Incorrect API key provided: "
            + "sk-test-********************************6789.", "invalid_api_key"))),
        Arguments.of("429", false, json(429, errorEchoing("Rate limit reached", "rate_limit_exceeded"),
            "retry-after", "2")),
        Arguments.of("500", false, json(500, errorEchoing("server error", "server_error"))),
        Arguments.of("malformed body", false, json(200, "{\"choices\": [ " + API_KEY)),
        Arguments.of("non-JSON error", false, new MockResponse.Builder().code(502).body("proxy says "
            + API_KEY).build()),
        Arguments.of("truncated stream", true, sse(textChunk("Hel"))),
        Arguments.of("mid-stream error", true, sse("data: " + errorEchoing("key " + API_KEY, "server_error")
            + "\n\n")),
        Arguments.of("malformed stream event", true, sse("data: {nope " + API_KEY + "\n\ndata: [DONE]\n\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void noExceptionShowsTheKeyOrThePrompt(String name, boolean stream, MockResponse response) {
    server.enqueue(response);
    ChatRequest request = ChatRequest.builder().model("gpt-4o").user(PROMPT).build();
    LlmException e = catchThrowableOfType(LlmException.class, () -> {
      if (stream) {
        provider.stream(request, CallContext.standalone(true)).collect();
      } else {
        provider.chat(request, CallContext.standalone(false));
      }
    });
    SecretLeakAssertions.assertShowsNone(name, e, API_KEY, PROMPT);
  }

  @Test
  void providerAndSettingsToStringShowNoKey() {
    assertThat(provider.toString()).doesNotContain(API_KEY);
    ProviderSettings settings = new ProviderSettings("openai", null, List.of(Secret.of(API_KEY)),
        Map.of("Authorization", "Bearer " + API_KEY), Map.of(), name -> API_KEY, new SharedResources());
    assertThat(settings.toString()).doesNotContain(API_KEY);
    assertThat(new OpenAiProviderFactory().create(settings).toString()).doesNotContain(API_KEY);
  }
}

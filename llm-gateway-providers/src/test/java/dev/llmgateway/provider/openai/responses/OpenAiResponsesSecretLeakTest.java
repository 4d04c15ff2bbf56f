package dev.llmgateway.provider.openai.responses;

import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.API_KEY;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.created;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.events;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.sse;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.textDelta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.io.PrintWriter;
import java.io.StringWriter;
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
class OpenAiResponsesSecretLeakTest {
  private static final String PROMPT = "PROMPT-TEXT-that-must-not-be-logged";
  private final OkHttpClient client = new OkHttpClient();
  private MockWebServer server;
  private OpenAiResponsesChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = OpenAiResponsesTestSupport.providerFor(server, client).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String errorEchoing(String message, String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\",\"param\":null,"
        + "\"code\":\"" + code + "\"}}";
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("400", false, json(400, errorEchoing("bad request with key " + API_KEY, "invalid"))),
        Arguments.of("401", false, json(401, errorEchoing("Incorrect API key provided: " + API_KEY + ".",
            "invalid_api_key"))),
        Arguments.of("401 masked", false, json(401, errorEchoing("Incorrect API key provided: "
            + "sk-test-********************************6789.", "invalid_api_key"))),
        Arguments.of("429", false, json(429, errorEchoing("Rate limit reached", "rate_limit_exceeded"),
            "retry-after", "2")),
        Arguments.of("malformed body", false, json(200, "{\"output\": [ " + API_KEY)),
        Arguments.of("non-JSON error", false, new MockResponse.Builder().code(502).body("proxy says "
            + API_KEY).build()),
        Arguments.of("truncated stream", true, sse(events(List.of(created("resp_1", "o3-mini"),
            textDelta(0, "Hel"))))),
        Arguments.of("error event", true, sse(events(List.of(created("resp_1", "o3-mini"),
            "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"key " + API_KEY + "\"}")))),
        Arguments.of("failed response", true, sse(events(List.of(created("resp_1", "o3-mini"),
            "{\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":"
                + "\"server_error\",\"message\":\"key " + API_KEY + "\"}}}")))),
        Arguments.of("malformed stream event", true, sse("event: response.created\ndata: {nope "
            + API_KEY + "\n\n")));
  }

  private static MockResponse json(int code, String body, String... headers) {
    return OpenAiResponsesTestSupport.json(code, body, headers);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void noExceptionShowsTheKeyOrThePrompt(String name, boolean stream, MockResponse response) {
    server.enqueue(response);
    ChatRequest request = ChatRequest.builder().model("o3-mini").user(PROMPT).build();
    LlmException e = catchThrowableOfType(LlmException.class, () -> {
      if (stream) {
        provider.stream(request, CallContext.standalone(true)).collect();
      } else {
        provider.chat(request, CallContext.standalone(false));
      }
    });
    assertThat(e).as(name).isNotNull();
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).as(name).doesNotContain(API_KEY).doesNotContain(PROMPT);
      assertThat(t.toString()).as(name).doesNotContain(API_KEY).doesNotContain(PROMPT);
    }
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).as(name).doesNotContain(API_KEY).doesNotContain(PROMPT);
    assertThat(e.context().toString()).doesNotContain(API_KEY);
  }

  @Test
  void providerFactoryAndSettingsToStringShowNoKey() {
    OpenAiResponsesChatProvider withHeader = OpenAiResponsesTestSupport.providerFor(server, client)
        .header("api-key", API_KEY).build();
    assertThat(provider.toString()).doesNotContain(API_KEY);
    assertThat(withHeader.toString()).contains("api-key").doesNotContain(API_KEY);
    ProviderSettings settings = new ProviderSettings("openai-responses", null,
        List.of(Secret.of(API_KEY)), Map.of("Authorization", "Bearer " + API_KEY), Map.of(),
        name -> API_KEY, new SharedResources());
    assertThat(settings.toString()).doesNotContain(API_KEY);
    assertThat(new OpenAiResponsesProviderFactory().create(settings).toString()).doesNotContain(API_KEY);
  }
}

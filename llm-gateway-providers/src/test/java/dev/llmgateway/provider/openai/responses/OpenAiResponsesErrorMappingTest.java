package dev.llmgateway.provider.openai.responses;

import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.REQUEST_ID;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.created;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.events;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.simpleRequest;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.sse;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.textDelta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.ConformanceFiles;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiResponsesErrorMappingTest {
  private static final String CONTEXT_MESSAGE =
      "Your input exceeds the context window of this model. Please adjust your input and try again.";

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

  private LlmException blockingFailure(MockResponse response) {
    server.enqueue(response);
    return catchThrowableOfType(LlmException.class,
        () -> provider.chat(simpleRequest(), CallContext.standalone(false)));
  }

  private LlmException streamFailure(String body) {
    server.enqueue(sse(body));
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    return catchThrowableOfType(LlmException.class, stream::collect);
  }

  private static String error(String message, String type, String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,"
        + "\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  @Test
  void contextOverflowOnHttp400IsContextLengthExceeded() {
    LlmException e = blockingFailure(OpenAiResponsesTestSupport.json(400,
        error(CONTEXT_MESSAGE, "invalid_request_error", "context_length_exceeded")));
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.getMessage()).contains("context_length_exceeded", "exceeds the context window");
  }

  @Test
  void theContextWindowWordingAloneIsEnough() {
    LlmException e = blockingFailure(OpenAiResponsesTestSupport.json(400,
        error(CONTEXT_MESSAGE, "invalid_request_error", null)));
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
  }

  @Test
  void contextOverflowInTheStreamIsContextLengthExceeded() {
    String failed = "{\"type\":\"response.failed\",\"response\":{\"id\":\"resp_1\",\"status\":\"failed\","
        + "\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"" + CONTEXT_MESSAGE + "\"},"
        + "\"output\":[],\"usage\":null}}";
    LlmException e = streamFailure(events(List.of(created("resp_1", "o3-mini"), failed)));
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
    assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    assertThat(e.getMessage()).contains("reported the response as failed (context_length_exceeded)");
  }

  @Test
  void aFlatErrorEventIsReadToo() {
    String flat = "{\"type\":\"error\",\"code\":\"context_length_exceeded\",\"message\":\""
        + CONTEXT_MESSAGE + "\",\"param\":null,\"sequence_number\":2}";
    assertThat(streamFailure(events(List.of(created("resp_1", "o3-mini"), flat))))
        .isInstanceOf(ContextLengthExceededException.class);
    String serverError = "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"oops\","
        + "\"param\":null}";
    LlmException e = streamFailure(events(List.of(created("resp_1", "o3-mini"), textDelta(0, "Hi"),
        serverError)));
    assertThat(e).isInstanceOf(ProviderUnavailableException.class);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void aFailedBlockingResponseThrowsLikeItsStream() {
    String body = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"failed\",\"error\":"
        + "{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"},\"output\":[],\"usage\":null}";
    LlmException e = blockingFailure(OpenAiResponsesTestSupport.json(200, body));
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void insufficientQuotaOnHttp429IsNotRetryable() {
    LlmException e = blockingFailure(OpenAiResponsesTestSupport.json(429, ConformanceFiles.text(
        ConformanceFiles.file("openai-chat", "error-429-insufficient-quota.json"))));
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void rateLimitsCarryTheWait() {
    LlmException e = blockingFailure(OpenAiResponsesTestSupport.json(429,
        error("Rate limit reached", "requests", "rate_limit_exceeded"), "retry-after-ms", "1500"));
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void statusRulesAndShouldRetryHeader() {
    assertThat(blockingFailure(OpenAiResponsesTestSupport.json(401,
        error("Incorrect API key provided", "invalid_request_error", "invalid_api_key"))))
        .isInstanceOf(AuthenticationException.class);
    assertThat(blockingFailure(OpenAiResponsesTestSupport.json(404,
        error("The model 'x' does not exist", "invalid_request_error", "model_not_found"))))
        .isInstanceOf(InvalidRequestException.class);
    LlmException unavailable = blockingFailure(OpenAiResponsesTestSupport.json(500,
        error("The server had an error", "server_error", null)));
    assertThat(unavailable).isInstanceOf(ProviderUnavailableException.class);
    assertThat(unavailable.isRetryable()).isTrue();
    LlmException vetoed = blockingFailure(OpenAiResponsesTestSupport.json(503,
        error("overloaded", "server_error", null), "x-should-retry", "false"));
    assertThat(vetoed.isRetryable()).isFalse();
    LlmException proxy = blockingFailure(new MockResponse.Builder().code(502)
        .addHeader("Content-Type", "text/html").body("<html>bad gateway</html>").build());
    assertThat(proxy).isInstanceOf(ProviderUnavailableException.class);
    assertThat(proxy.getMessage()).contains("non-JSON body (text/html");
  }

  @Test
  void rejectedEncryptedReasoningSaysWhatToTurnOff() {
    String body = "{\"error\":{\"message\":\"Encrypted content is not supported with this model.\","
        + "\"type\":\"invalid_request_error\",\"param\":\"include\",\"code\":null}}";
    LlmException e = blockingFailure(OpenAiResponsesTestSupport.json(400, body));
    assertThat(e).isExactlyInstanceOf(InvalidRequestException.class);
    assertThat(e.getMessage()).contains("param include", "includeEncryptedReasoning");
  }

  @Test
  void aBodyThatIsNotAResponseIsMalformed() {
    assertThat(blockingFailure(OpenAiResponsesTestSupport.json(200, "{\"object\":\"response\"}")))
        .isInstanceOf(MalformedResponseException.class);
    assertThat(blockingFailure(OpenAiResponsesTestSupport.json(200, "not json")))
        .isInstanceOf(MalformedResponseException.class);
    assertThat(streamFailure("event: response.created\ndata: {nope\n\n"
        + OpenAiResponsesTestSupport.event(OpenAiResponsesTestSupport.terminal("response.completed",
            "completed", null, "[]"))))
        .isInstanceOf(MalformedResponseException.class);
  }
}

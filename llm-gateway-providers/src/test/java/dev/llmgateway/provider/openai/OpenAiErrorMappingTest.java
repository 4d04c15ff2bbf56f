package dev.llmgateway.provider.openai;

import static dev.llmgateway.provider.openai.OpenAiTestSupport.REQUEST_ID;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.json;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.simpleRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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

class OpenAiErrorMappingTest {
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

  private static String error(String message, String type, String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,"
        + "\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  private LlmException failWith(MockResponse response) {
    server.enqueue(response);
    return catchThrowableOfType(LlmException.class,
        () -> provider.chat(simpleRequest(), CallContext.standalone(false)));
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(401, error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
            AuthenticationException.class, false),
        Arguments.of(403, error("Country not supported", "request_forbidden", "unsupported_country_region_territory"),
            AuthenticationException.class, false),
        Arguments.of(400, error("This model's maximum context length is 8192 tokens. However, your messages "
            + "resulted in 9000 tokens.", "invalid_request_error", "context_length_exceeded"),
            ContextLengthExceededException.class, false),
        Arguments.of(400, error("This model's maximum context length is 4096 tokens.", "invalid_request_error",
            null), ContextLengthExceededException.class, false),
        Arguments.of(400, error("The response was filtered", "invalid_request_error", "content_filter"),
            ContentFilteredException.class, false),
        Arguments.of(400, error("Invalid value for 'temperature'", "invalid_request_error", "invalid_value"),
            InvalidRequestException.class, false),
        Arguments.of(404, error("The model `gpt-9` does not exist", "invalid_request_error", "model_not_found"),
            InvalidRequestException.class, false),
        Arguments.of(422, error("Unprocessable", "invalid_request_error", null),
            InvalidRequestException.class, false),
        Arguments.of(408, error("Request timed out", "timeout", null), LlmTimeoutException.class, true),
        Arguments.of(409, error("Conflict", "conflict", null), ProviderUnavailableException.class, true),
        Arguments.of(500, error("The server had an error", "server_error", null),
            ProviderUnavailableException.class, true),
        Arguments.of(502, error("Bad gateway", "server_error", null), ProviderUnavailableException.class, true),
        Arguments.of(503, error("The engine is currently overloaded", "server_error", null),
            ProviderUnavailableException.class, true),
        Arguments.of(429, error("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
            RateLimitedException.class, true),
        Arguments.of(429, error("You exceeded your current quota", "insufficient_quota", "insufficient_quota"),
            RateLimitedException.class, false));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("statuses")
  void mapsStatusAndBodyToTheExceptionKind(int status, String body, Class<? extends LlmException> kind,
      boolean retryable) {
    LlmException e = failWith(json(status, body));
    assertThat(e).isInstanceOf(kind);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(e.provider()).isEqualTo("openai");
    assertThat(e.model()).isEqualTo("gpt-4o");
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    assertThat(e.getMessage()).contains("HTTP " + status, "requestId=" + REQUEST_ID);
    assertThat(server.getRequestCount()).as("the provider never retries").isEqualTo(1);
  }

  @Test
  void rateLimitReadsRetryAfterMs() {
    LlmException e = failWith(json(429, error("slow down", "requests", "rate_limit_exceeded"),
        "retry-after-ms", "250", "retry-after", "1"));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void rateLimitReadsRetryAfterSeconds() {
    LlmException e = failWith(json(429, error("slow down", "requests", "rate_limit_exceeded"),
        "retry-after", "20"));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(e.getMessage()).contains("retryAfter=PT20S");
  }

  @Test
  void rateLimitReadsRetryAfterAsAnHttpDate() {
    String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
    LlmException e = failWith(json(429, error("slow down", "requests", "rate_limit_exceeded"),
        "retry-after", inAnHour));
    assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
  }

  @Test
  void rateLimitFallsBackToTheOpenAiResetHeaders() {
    LlmException e = failWith(json(429, error("tokens", "tokens", "rate_limit_exceeded"),
        "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s",
        "x-ratelimit-remaining-requests", "99", "x-ratelimit-reset-requests", "12ms"));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void xShouldRetryOverridesTheStatusRule() {
    assertThat(failWith(json(500, error("no", "server_error", null), "x-should-retry", "false"))
        .isRetryable()).isFalse();
    assertThat(failWith(json(400, error("try again", "invalid_request_error", null), "x-should-retry",
        "true")).isRetryable()).isTrue();
  }

  @Test
  void readsVllmFlatErrors() {
    LlmException e = failWith(json(400, "{\"object\":\"error\",\"message\":\"This model's maximum context "
        + "length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the "
        + "completion).\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
    assertThat(e.getMessage()).contains("BadRequestError", "maximum context length is 4096");
  }

  @Test
  void readsLlamaCppErrors() {
    assertThat(failWith(json(500, "{\"error\":{\"code\":500,\"message\":\"the request exceeds the "
        + "available context size, try increasing it\",\"type\":\"exceed_context_size_error\","
        + "\"n_prompt_tokens\":5000,\"n_ctx\":4096}}"))).isInstanceOf(ContextLengthExceededException.class);
    LlmException loading = failWith(json(503, "{\"error\":{\"code\":503,\"message\":\"Loading model\","
        + "\"type\":\"unavailable_error\"}}"));
    assertThat(loading).isInstanceOf(ProviderUnavailableException.class);
    assertThat(loading.isRetryable()).isTrue();
  }

  @Test
  void describesNonJsonErrorBodiesWithoutQuotingThem() {
    LlmException e = failWith(new MockResponse.Builder().code(502)
        .addHeader("Content-Type", "text/html").body("<html><body>Bad gateway from proxy</body></html>")
        .build());
    assertThat(e).isInstanceOf(ProviderUnavailableException.class);
    assertThat(e.getMessage()).contains("non-JSON body", "text/html").doesNotContain("<html>");
    LlmException empty = failWith(new MockResponse.Builder().code(500).build());
    assertThat(empty).isInstanceOf(ProviderUnavailableException.class);
    assertThat(empty.getMessage()).contains("empty body");
  }

  @Test
  void aSuccessBodyThatIsNotJsonIsMalformed() {
    LlmException e = failWith(json(200, "{\"id\": \"chatcmpl-1\", \"choices\": [ {"));
    assertThat(e).isInstanceOf(MalformedResponseException.class);
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.requestId()).isEqualTo(REQUEST_ID);
  }

  @Test
  void aSuccessBodyWithoutChoicesIsMalformed() {
    assertThat(failWith(json(200, "{\"id\":\"chatcmpl-1\",\"choices\":[]}")))
        .isInstanceOf(MalformedResponseException.class);
    assertThat(failWith(json(200, "[1,2]"))).isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void anErrorBodyWithStatus200IsMapped() {
    assertThat(failWith(json(200, error("over capacity", "server_error", null))))
        .isInstanceOf(ProviderUnavailableException.class);
  }

  @Test
  void theBlockingAnswerReadsToolCallsAndRefusals() {
    server.enqueue(json(200, """
        {"id":"chatcmpl-2","model":"gpt-4o","choices":[
          {"index":1,"message":{"role":"assistant","content":"other choice"},"finish_reason":"stop"},
          {"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that.",
            "tool_calls":[{"id":"call_a","type":"function","function":{"name":"f","arguments":"{\\"x\\":1}"}}]},
           "finish_reason":"function_call"}],
         "usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4},
                  "completion_tokens_details":{"reasoning_tokens":3}}}"""));
    var r = provider.chat(simpleRequest(), CallContext.standalone(false));
    assertThat(r.toolCalls()).containsExactly(new dev.llmgateway.ContentPart.ToolCall("call_a", "f", "{\"x\":1}"));
    assertThat(r.refusal()).isEqualTo("I can't help with that.");
    assertThat(r.text()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(dev.llmgateway.FinishReason.TOOL_CALLS);
    assertThat(r.rawFinishReason()).isEqualTo("function_call");
    assertThat(r.usage()).isEqualTo(new dev.llmgateway.Usage(10, 5, 4, 0, 3, false));
  }

  @Test
  void unknownFinishReasonsAreOtherWithTheRawValueKept() {
    server.enqueue(json(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"x\"},"
        + "\"finish_reason\":\"brand_new_reason\"}]}"));
    var r = provider.chat(simpleRequest(), CallContext.standalone(false));
    assertThat(r.finishReason()).isEqualTo(dev.llmgateway.FinishReason.OTHER);
    assertThat(r.rawFinishReason()).isEqualTo("brand_new_reason");
    assertThat(r.model()).isEqualTo("gpt-4o"); // the body named none: the requested one
    assertThat(r.id()).isNull();
  }
}

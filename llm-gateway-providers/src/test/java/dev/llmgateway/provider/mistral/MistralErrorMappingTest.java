package dev.llmgateway.provider.mistral;

import static dev.llmgateway.provider.mistral.MistralTestSupport.API_KEY;
import static dev.llmgateway.provider.mistral.MistralTestSupport.REQUEST_ID;
import static dev.llmgateway.provider.mistral.MistralTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MistralErrorMappingTest {
  private static final String PROMPT = "PROMPT-TEXT-that-must-not-be-logged";
  @RegisterExtension
  final MockServer mock = new MockServer();
  private MockWebServer server;
  private OkHttpClient client;
  private MistralChatProvider provider;

  @BeforeEach
  void start() {
    server = mock.server();
    client = mock.client();
    provider = MistralTestSupport.providerFor(server, client).build();
  }

  private LlmException failure(int status, String body, String... headers) {
    server.enqueue(MockResponses.json(status, body, headers));
    ChatRequest r = ChatRequest.builder().model(MistralTestSupport.MODEL).user(PROMPT).build();
    return catchThrowableOfType(LlmException.class, () -> provider.chat(r, CallContext.standalone(false)));
  }

  /** A 422 validation report as Mistral sends it: the offending value is echoed in {@code input}. */
  private static String validationReport(String quoted) {
    return "{\"object\":\"error\",\"message\":{\"detail\":[{\"type\":\"extra_forbidden\","
        + "\"loc\":[\"body\",\"stream_options\",\"include_usage\"],\"msg\":\"Extra inputs are not "
        + "permitted\",\"input\":true},{\"type\":\"string_type\",\"loc\":[\"body\",\"messages\",0,"
        + "\"content\"],\"msg\":\"Input should be a valid string\",\"input\":\"" + quoted + "\"}]},"
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}";
  }

  @Test
  void a422ValidationReportIsAnInvalidRequestNamingTheFieldsNotTheirValues() {
    LlmException e = failure(422, validationReport(PROMPT), "x-request-id", REQUEST_ID);
    assertThat(e).isInstanceOf(InvalidRequestException.class)
        .isNotInstanceOf(ContextLengthExceededException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.httpStatus()).isEqualTo(422);
    assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    assertThat(e.getMessage()).contains("invalid_request_error",
        "body.stream_options.include_usage: Extra inputs are not permitted",
        "body.messages.0.content: Input should be a valid string");
    SecretLeakAssertions.assertShowsNone("422", e, PROMPT, API_KEY);
  }

  @Test
  void aValidationReportSentAsAJsonStringIsReadTheSameWay() {
    String inner = "{\\\"detail\\\":[{\\\"type\\\":\\\"extra_forbidden\\\",\\\"loc\\\":[\\\"body\\\","
        + "\\\"frequency_penalty\\\"],\\\"msg\\\":\\\"Extra inputs are not permitted\\\",\\\"input\\\":"
        + "\\\"" + PROMPT + "\\\"}]}";
    LlmException e = failure(422, "{\"object\":\"error\",\"message\":\"" + inner + "\","
        + "\"type\":\"internal_error_proxy\",\"param\":null,\"code\":\"1000\"}");
    assertThat(e).isInstanceOf(InvalidRequestException.class);
    assertThat(e.getMessage()).contains("body.frequency_penalty: Extra inputs are not permitted");
    SecretLeakAssertions.assertShowsNone("422 as a string", e, PROMPT);
  }

  @Test
  void aTopLevelDetailListIsReadToo() {
    LlmException e = failure(400, "{\"object\":\"Error\",\"detail\":[{\"type\":\"extra_forbidden\","
        + "\"loc\":[\"body\",\"tools\"],\"msg\":\"Extra inputs are not permitted\",\"input\":[]}],"
        + "\"type\":\"invalid_request_error\",\"code\":3001}");
    assertThat(e).isInstanceOf(InvalidRequestException.class);
    assertThat(e.getMessage()).contains("body.tools: Extra inputs are not permitted");
  }

  @Test
  void aTooLargePromptIsAContextOverflow() {
    LlmException e = failure(400, "{\"object\":\"error\",\"message\":\"Prompt contains 40000 tokens "
        + "and 0 draft tokens, too large for model with 32768 maximum context length\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}");
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void statusesMapToTheirKinds() {
    assertThat(failure(401, "{\"message\":\"Unauthorized\",\"request_id\":\"abc\"}"))
        .isInstanceOf(AuthenticationException.class);
    LlmException limited = failure(429, "{\"object\":\"error\",\"message\":\"Requests rate limit "
        + "exceeded\",\"type\":\"rate_limited\",\"param\":null,\"code\":\"1300\"}", "retry-after", "4");
    assertThat(limited).isInstanceOf(RateLimitedException.class);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(4));
    assertThat(limited.isRetryable()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"model_length, LENGTH", "length, LENGTH", "error, ERROR", "tool_calls, TOOL_CALLS",
      "stop, STOP"})
  void finishReasonsMapToTheCommonOnes(String raw, FinishReason expected) {
    server.enqueue(MockResponses.sse("data: {\"id\":\"m\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"x\"},\"finish_reason\":\"" + raw + "\"}],\"usage\":"
        + "{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\ndata: [DONE]\n\n"));
    ChatResponse r = provider.stream(request(), CallContext.standalone(true)).collect();
    assertThat(r.finishReason()).isEqualTo(expected);
    assertThat(r.rawFinishReason()).isEqualTo(raw);
  }

  @Test
  void aCutOffStreamIsInterrupted() {
    server.enqueue(MockResponses.sse("data: {\"id\":\"m1\",\"object\":\"chat.completion.chunk\","
        + "\"model\":\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n", "x-request-id", REQUEST_ID));
    ChatStream stream = provider.stream(request(), CallContext.standalone(true));
    assertThat(stream.next()).isEqualTo(new ChatChunk.Start("m1", "mistral-small-latest", "mistral",
        REQUEST_ID));
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hello"));
    assertThatThrownBy(stream::next).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
      assertThat(e.provider()).isEqualTo("mistral");
      assertThat(e.model()).isEqualTo(MistralTestSupport.MODEL);
    });
    stream.close();
  }

  @Test
  void aMidStreamErrorObjectIsThrown() {
    server.enqueue(MockResponses.sse("data: {\"id\":\"m1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"object\":\"error\",\"message\":\"Service "
        + "unavailable\",\"type\":\"internal_server_error\",\"param\":null,\"code\":\"503\"}\n\n"));
    assertThatThrownBy(() -> provider.stream(request(), CallContext.standalone(true)).collect())
        .isInstanceOf(LlmException.class).hasMessageContaining("Service unavailable");
  }

  @Test
  void noErrorShowsTheKey() {
    LlmException e = failure(401, "{\"message\":\"Invalid key " + API_KEY + "\"}");
    SecretLeakAssertions.assertShowsNone("401 echoing the key", e, API_KEY, PROMPT);
    server.enqueue(MockResponses.sse("data: {\"id\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"content\":\"x\"}}]}\n\n"));
    ChatRequest r = ChatRequest.builder().model("m").user(PROMPT).build();
    SecretLeakAssertions.assertShowsNone("cut-off stream", catchThrowableOfType(LlmException.class,
        () -> provider.stream(r, CallContext.standalone(true)).collect()), API_KEY, PROMPT);
  }
}

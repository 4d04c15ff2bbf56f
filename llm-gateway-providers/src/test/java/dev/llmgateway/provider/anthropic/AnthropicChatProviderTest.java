package dev.llmgateway.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Usage;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicChatProviderTest {
  private static final String KEY = "sk-ant-api03-SECRETSECRETSECRET-abcdef";
  private static final String OTHER_KEY = "sk-ant-api03-OTHEROTHEROTHER-987654";

  private MockWebServer server;
  private AnthropicChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = AnthropicChatProvider.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey(KEY)
        .build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  // --- defaults and configuration

  @Test
  void builderDefaultsAreTheDocumentedValues() {
    SharedResources resources = new SharedResources();
    AnthropicChatProvider p = AnthropicChatProvider.builder().apiKey(KEY).resources(resources).build();
    assertThat(p.name()).isEqualTo(AnthropicChatProvider.DEFAULT_PROVIDER_NAME).isEqualTo("anthropic");
    assertThat(p.baseUrl()).isEqualTo(AnthropicChatProvider.DEFAULT_BASE_URL)
        .isEqualTo("https://api.anthropic.com/v1");
    assertThat(p.anthropicVersion()).isEqualTo(AnthropicChatProvider.DEFAULT_ANTHROPIC_VERSION)
        .isEqualTo("2023-06-01");
    assertThat(p.betas()).isEqualTo(AnthropicChatProvider.DEFAULT_BETAS).isEmpty();
    assertThat(p.defaultMaxTokens()).isEqualTo(AnthropicChatProvider.DEFAULT_MAX_TOKENS)
        .isEqualTo(4096);
    assertThat(p.extraHeaderNames()).isEmpty();
    assertThat(p.apiKeyCount()).isEqualTo(1);
    assertThat(p.httpClient()).isSameAs(SharedClients.httpClient(resources));
    assertThat(p.objectMapper()).isSameAs(SharedClients.objectMapper(resources));
    assertThat(p.capabilities()).isEqualTo(AnthropicChatProvider.CAPABILITIES);
    assertThat(p.capabilities().tools()).isTrue();
    assertThat(p.capabilities().vision()).isTrue();
    assertThat(p.capabilities().jsonSchema()).isTrue();
    assertThat(p.capabilities().streamingUsage()).isTrue();
  }

  @Test
  void explicitClientAndMapperWin() {
    OkHttpClient client = new OkHttpClient();
    ObjectMapper mapper = new ObjectMapper();
    AnthropicChatProvider p = AnthropicChatProvider.builder().apiKey(KEY).httpClient(client)
        .objectMapper(mapper).build();
    assertThat(p.httpClient()).isSameAs(client);
    assertThat(p.objectMapper()).isSameAs(mapper);
  }

  @Test
  void buildingWithoutKeyFailsNamingTheEnvironmentVariable() {
    assertThatThrownBy(() -> AnthropicChatProvider.builder().build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("ANTHROPIC_API_KEY");
  }

  @Test
  void invalidSettingsFailWhenBuilt() {
    assertThatThrownBy(() -> AnthropicChatProvider.builder().defaultMaxTokens(0))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> AnthropicChatProvider.builder().apiKey(KEY).baseUrl("not a url").build())
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void toStringNeverShowsTheKeyOrHeaderValues() {
    AnthropicChatProvider p = AnthropicChatProvider.builder().apiKey(KEY)
        .header("x-proxy-token", "proxy-secret-value").build();
    assertThat(p.toString()).doesNotContain(KEY).doesNotContain("proxy-secret-value")
        .contains("apiKeys=1").contains("x-proxy-token");
  }

  // --- what goes on the wire

  @Test
  void sendsKeyVersionBetasAndExtraHeaders() throws Exception {
    AnthropicChatProvider p = AnthropicChatProvider.builder()
        .baseUrl(server.url("/v1").toString())
        .apiKey(KEY)
        .anthropicVersion("2023-06-01")
        .betas(List.of("structured-outputs-2025-12-15", "context-1m-2025-08-07"))
        .header("X-Team", "search")
        .build();
    server.enqueue(json(200, messageBody("end_turn")));
    p.chat(simple(), CallContext.standalone(false));
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/messages");
    assertThat(sent.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(sent.getHeaders().get("authorization")).isNull();
    assertThat(sent.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.getHeaders().get("anthropic-beta"))
        .isEqualTo("structured-outputs-2025-12-15,context-1m-2025-08-07");
    assertThat(sent.getHeaders().get("x-team")).isEqualTo("search");
    assertThat(sent.getHeaders().get("content-type")).startsWith("application/json");
    assertThat(Recordings.parse(sent.getBody().utf8()).get("max_tokens").asInt()).isEqualTo(4096);
    p.close();
  }

  @Test
  void noBetaHeaderWithoutBetas() throws Exception {
    server.enqueue(json(200, messageBody("end_turn")));
    provider.chat(simple(), CallContext.standalone(false));
    assertThat(server.takeRequest().getHeaders().get("anthropic-beta")).isNull();
  }

  @Test
  void severalKeysRotatePerCall() throws Exception {
    AnthropicChatProvider p = AnthropicChatProvider.builder()
        .baseUrl(server.url("/v1").toString())
        .apiKeys(List.of(Secret.of(KEY), Secret.of(OTHER_KEY)))
        .build();
    for (int i = 0; i < 3; i++) {
      server.enqueue(json(200, messageBody("end_turn")));
      p.chat(simple(), CallContext.standalone(false));
    }
    assertThat(server.takeRequest().getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(server.takeRequest().getHeaders().get("x-api-key")).isEqualTo(OTHER_KEY);
    assertThat(server.takeRequest().getHeaders().get("x-api-key")).isEqualTo(KEY);
  }

  @Test
  void streamRequestSaysStreamTrue() throws Exception {
    server.enqueue(sse(Recordings.sseBody("stream-text-basic.sse")));
    provider.stream(simple(), CallContext.standalone(true)).collect();
    RecordedRequest sent = server.takeRequest();
    assertThat(Recordings.parse(sent.getBody().utf8()).get("stream").asBoolean()).isTrue();
    assertThat(sent.getHeaders().get("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void jsonObjectFormatIsRefusedBeforeAnythingIsSent() {
    ChatRequest request = simple().toBuilder().responseFormat(ResponseFormat.jsonObject()).build();
    assertThatThrownBy(() -> provider.chat(request, CallContext.standalone(false)))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("jsonSchema");
    assertThat(server.getRequestCount()).isZero();
  }

  // --- responses

  @Test
  void requestIdComesFromTheHeader() {
    server.enqueue(json(200, messageBody("end_turn")).newBuilder()
        .addHeader("request-id", "req_header_1").build());
    ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
    assertThat(r.requestId()).isEqualTo("req_header_1");

    server.enqueue(sse(Recordings.sseBody("stream-text-basic.sse")).newBuilder()
        .addHeader("request-id", "req_header_2").build());
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThat(stream.next()).isEqualTo(new ChatChunk.Start(
          "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK", "claude-3-opus-latest", "anthropic",
          "req_header_2"));
    }
  }

  @Test
  void stopReasonsMapToFinishReasonsKeepingTheRawValue() {
    String[][] cases = {
        {"end_turn", "STOP"}, {"stop_sequence", "STOP"}, {"pause_turn", "STOP"},
        {"max_tokens", "LENGTH"}, {"model_context_window_exceeded", "LENGTH"},
        {"tool_use", "TOOL_CALLS"}, {"refusal", "CONTENT_FILTER"}, {"brand_new_reason", "OTHER"}};
    for (String[] c : cases) {
      server.enqueue(json(200, messageBody(c[0])));
      ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
      assertThat(r.finishReason()).as(c[0]).isEqualTo(FinishReason.valueOf(c[1]));
      assertThat(r.rawFinishReason()).isEqualTo(c[0]);
    }
  }

  @Test
  void cacheTokensAreAddedToInputAndReportedApart() {
    server.enqueue(json(200, """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-x",
         "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn",
         "usage":{"input_tokens":21,"cache_creation_input_tokens":188,
                  "cache_read_input_tokens":3000,"output_tokens":393}}"""));
    ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
    assertThat(r.usage()).isEqualTo(new Usage(21 + 188 + 3000, 393, 3000, 188, 0, false));
  }

  @Test
  void redactedThinkingAndToolInputObjectsDecode() {
    server.enqueue(json(200, """
        {"id":"msg_2","model":"claude-x","content":[
          {"type":"redacted_thinking","data":"EmwKAhgBEgy3va"},
          {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"}},
          {"type":"tool_use","id":"toolu_1","name":"noop","input":{}},
          {"type":"tool_use","id":"toolu_2","name":"nested","input":{"a":[1,{"b":null}]}}],
         "stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":2}}"""));
    ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
    assertThat(r.message().content()).containsExactly(
        new ContentPart.Thinking("", "EmwKAhgBEgy3va", true),
        new ContentPart.ToolCall("toolu_1", "noop", "{}"),
        new ContentPart.ToolCall("toolu_2", "nested", "{\"a\":[1,{\"b\":null}]}"));
  }

  // --- streams

  @Test
  void streamCutOffMidwayIsInterrupted() {
    String full = Recordings.sseBody("stream-text-then-tool-use.sse");
    String cut = full.substring(0, full.indexOf("event: content_block_stop"));
    server.enqueue(sse(cut));
    List<ChatChunk> seen = new ArrayList<>();
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(() -> {
        for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
          seen.add(c);
        }
      }).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.getMessage()).contains("message_stop");
        assertThat(e.provider()).isEqualTo("anthropic");
        assertThat(e.isRetryable()).isTrue();
      });
    }
    assertThat(seen).contains(new ChatChunk.TextDelta("I"));
  }

  @Test
  void streamEndingAfterMessageDeltaButBeforeMessageStopIsInterrupted() {
    String full = Recordings.sseBody("stream-text-basic.sse");
    server.enqueue(sse(full.substring(0, full.indexOf("event: message_stop"))));
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(stream::collect).isInstanceOf(StreamInterruptedException.class)
          .hasMessageContaining("message_stop");
    }
  }

  @Test
  void errorEventMidStreamIsThrownFromNext() {
    server.enqueue(sse("""
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_e","model":"claude-x","usage":{"input_tokens":5,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

        event: error
        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

        """));
    List<ChatChunk> seen = new ArrayList<>();
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(() -> {
        for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
          seen.add(c);
        }
      }).isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("overloaded_error").contains("Overloaded");
        assertThat(e.model()).isEqualTo("claude-test");
      });
      // the failure sticks
      assertThatThrownBy(stream::next).isInstanceOf(ProviderUnavailableException.class);
    }
    assertThat(seen).contains(new ChatChunk.TextDelta("Hel"),
        new ChatChunk.UsageUpdate(Usage.of(5, 1)));
  }

  @Test
  void streamedUsageMergesInputFromStartWithCumulativeOutput() {
    server.enqueue(sse("""
        event: message_start
        data: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":1}}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":40}}

        event: message_delta
        data: {"type":"message_delta","delta":{},"usage":{"output_tokens":42}}

        event: message_stop
        data: {"type":"message_stop"}

        """));
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      stream.forEach(chunks::add);
    }
    List<Usage> usages = chunks.stream().filter(ChatChunk.UsageUpdate.class::isInstance)
        .map(c -> ((ChatChunk.UsageUpdate) c).usage()).toList();
    assertThat(usages).containsExactly(
        new Usage(3210, 1, 3000, 200, 0, false),
        new Usage(3210, 40, 3000, 200, 0, false),
        new Usage(3210, 42, 3000, 200, 0, false));
  }

  @Test
  void streamedRedactedThinkingUnknownBlocksAndStartInput() {
    server.enqueue(sse("""
        event: message_start
        data: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"REDACTED-DATA"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"server_tool_use","id":"srv_1","name":"web_search","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"query\\":\\"x\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: some_future_event
        data: {"type":"some_future_event","x":1}

        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_9","name":"lookup","input":{"id":7}}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":2}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

        event: message_stop
        data: {"type":"message_stop"}

        """));
    ChatResponse r = provider.stream(simple(), CallContext.standalone(true)).collect();
    assertThat(r.message().content()).containsExactly(
        new ContentPart.Thinking("", "REDACTED-DATA", true),
        new ContentPart.ToolCall("toolu_9", "lookup", "{\"id\":7}"));
  }

  @Test
  void httpErrorBeforeStreamIsThrownFromStream() {
    server.enqueue(json(529, """
        {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_529"}"""));
    assertThatThrownBy(() -> provider.stream(simple(), CallContext.standalone(true)))
        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(529);
          assertThat(e.isRetryable()).isTrue();
          assertThat(e.requestId()).isEqualTo("req_529");
        });
  }

  @Test
  void cancellingTheCallAbortsAStreamBeingRead() throws Exception {
    server.enqueue(sse(Recordings.sseBody("stream-text-basic.sse")).newBuilder()
        .bodyDelay(5, TimeUnit.SECONDS).build());
    CallContext context = CallContext.standalone(true);
    ChatStream stream = provider.stream(simple(), context);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        stream.next();
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    reader.start();
    context.cancel();
    reader.join();
    assertThat(failure.get()).isInstanceOf(CallCancelledException.class);
    stream.close();
  }

  // --- HTTP errors

  @Test
  void mapsErrorStatuses() {
    assertError(400, "invalid_request_error", "max_tokens: 100000 > 64000, which is the maximum",
        InvalidRequestException.class, false);
    assertError(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum",
        ContextLengthExceededException.class, false);
    assertError(400, "invalid_request_error",
        "input length and `max_tokens` exceed context limit: 178959 + 64000 > 200000, decrease input"
            + " length or `max_tokens` and try again", ContextLengthExceededException.class, false);
    assertError(401, "authentication_error", "invalid x-api-key", AuthenticationException.class,
        false);
    assertError(403, "permission_error", "no access", AuthenticationException.class, false);
    assertError(402, "billing_error", "Your credit balance is too low", RateLimitedException.class,
        false);
    assertError(404, "not_found_error", "model: claude-nope", InvalidRequestException.class, false);
    assertError(429, "rate_limit_error", "slow down", RateLimitedException.class, true);
    assertError(500, "api_error", "Internal server error", ProviderUnavailableException.class, true);
    assertError(529, "overloaded_error", "Overloaded", ProviderUnavailableException.class, true);
  }

  @Test
  void requestTooLargeWithNonJsonBodyIsInvalidRequest() {
    server.enqueue(new MockResponse.Builder().code(413).addHeader("content-type", "text/html")
        .body("<html><body>413 Request Entity Too Large</body></html>").build());
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(413);
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.getMessage()).contains("text/html").doesNotContain("<html>");
        });
  }

  @Test
  void rateLimitCarriesRetryAfterAndShouldRetryOverrides() {
    server.enqueue(json(429, errorBody("rate_limit_error", "slow down")).newBuilder()
        .addHeader("retry-after", "17").addHeader("request-id", "req_hdr").build());
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17));
          assertThat(e.requestId()).isEqualTo("req_hdr");
          assertThat(e.isRetryable()).isTrue();
        });
    server.enqueue(json(500, errorBody("api_error", "boom")).newBuilder()
        .addHeader("x-should-retry", "false").build());
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(ProviderUnavailableException.class,
            e -> assertThat(e.isRetryable()).isFalse());
    server.enqueue(json(400, errorBody("invalid_request_error", "odd")).newBuilder()
        .addHeader("x-should-retry", "true").build());
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.isRetryable()).isTrue());
  }

  @Test
  void noExceptionMessageOrToStringContainsTheKey() {
    List<LlmException> errors = new ArrayList<>();
    String echo = "invalid x-api-key " + KEY + " (also sk-ant-api03-someoneelse-key)";
    for (int status : new int[] {400, 401, 403, 402, 404, 429, 500, 529}) {
      server.enqueue(json(status, errorBody("authentication_error", echo)));
      try {
        provider.chat(simple(), CallContext.standalone(false));
      } catch (LlmException e) {
        errors.add(e);
      }
      server.enqueue(json(status, errorBody("authentication_error", echo)));
      try {
        provider.stream(simple(), CallContext.standalone(true));
      } catch (LlmException e) {
        errors.add(e);
      }
    }
    server.enqueue(sse("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
        + "\"message\":\"" + echo + "\"}}\n\n"));
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      stream.collect();
    } catch (LlmException e) {
      errors.add(e);
    }
    assertThat(errors).hasSize(17);
    for (LlmException e : errors) {
      assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("SECRETSECRET")
          .doesNotContain("someoneelse");
      assertThat(e.toString()).doesNotContain(KEY);
      assertThat(e.context().toString()).doesNotContain(KEY);
    }
  }

  // --- helpers

  private void assertError(int status, String type, String message,
      Class<? extends LlmException> expected, boolean retryable) {
    server.enqueue(json(status, errorBody(type, message, "req_" + status)));
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .as(status + " " + type)
        .isExactlyInstanceOf(expected)
        .satisfies(t -> {
          LlmException e = (LlmException) t;
          assertThat(e.httpStatus()).isEqualTo(status);
          assertThat(e.isRetryable()).isEqualTo(retryable);
          assertThat(e.provider()).isEqualTo("anthropic");
          assertThat(e.model()).isEqualTo("claude-test");
          assertThat(e.requestId()).isEqualTo("req_" + status);
          assertThat(e.getMessage()).contains(type);
        });
  }

  private static String errorBody(String type, String message) {
    return errorBody(type, message, "req_body");
  }

  private static String errorBody(String type, String message, String requestId) {
    ObjectNode body = Recordings.JSON.createObjectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    return body.put("request_id", requestId).toString();
  }

  private static ChatRequest simple() {
    return ChatRequest.builder().model("claude-test").user("hi").build();
  }

  private static String messageBody(String stopReason) {
    return "{\"id\":\"msg_x\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"" + stopReason + "\","
        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}";
  }

  private static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200).addHeader("content-type", "text/event-stream")
        .body(body).build();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("content-type", "application/json")
        .body(body).build();
  }
}

package dev.llmgateway.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.anthropic.Recordings.Expected;
import dev.llmgateway.provider.anthropic.Recordings.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded Anthropic payload of {@code conformance.dir}/anthropic through the adapter over
 * HTTP and checks the result against what the recording itself says (read by the test's own code), plus
 * literal spot checks.
 */
class AnthropicConformanceTest {
  private static final String KEY = "sk-ant-api03-conformance-key-0000";

  private static final List<String> STREAMS = List.of(
      "stream-text-basic.sse",
      "stream-text-then-tool-use.sse",
      "stream-max-tokens-partial-tool-json.sse",
      "stream-refusal-stop-details.sse",
      "stream-text.jsonl",
      "stream-thinking-signature.jsonl",
      "stream-tool-no-args-pings.jsonl");
  private static final List<String> MESSAGES = List.of("message-text.json", "message-thinking.json");
  private static final List<String> EXCHANGES = List.of(
      "exchange-429-rate-limit-retried-then-stream.json",
      "exchange-429-rate-limit-retried-then-json.json",
      "exchange-tool-use-then-400-invalid-request.json",
      "exchange-stream-tool-use-roundtrip.json");

  private MockWebServer server;
  private AnthropicChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = AnthropicChatProvider.builder()
        .baseUrl(server.url("/v1").toString())
        .apiKey(KEY)
        .build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  static Stream<String> streams() {
    return STREAMS.stream();
  }

  @Test
  void everyRecordedFileIsReplayedByThisTest() {
    Set<String> covered = new TreeSet<>();
    covered.addAll(STREAMS);
    covered.addAll(MESSAGES);
    covered.addAll(EXCHANGES);
    assertThat(Recordings.files()).isEqualTo(covered);
  }

  @ParameterizedTest
  @MethodSource("streams")
  void streamedRecordingAssemblesToWhatTheRecordingSays(String file) {
    String body = Recordings.sseBody(file);
    Expected expected = Recordings.expectedFromStream(Recordings.sseEvents(body));
    server.enqueue(sse(body));

    List<ChatChunk> chunks = streamAll(request("claude-test"));
    ChatResponse response = assemble(chunks);

    assertThat(chunks.get(0)).isInstanceOf(ChatChunk.Start.class);
    assertThat(response.id()).isEqualTo(expected.id());
    assertThat(response.model()).isEqualTo(expected.model());
    assertThat(response.provider()).isEqualTo("anthropic");
    assertThat(response.text()).isEqualTo(expected.text());
    assertThat(response.rawFinishReason()).isEqualTo(expected.stopReason());
    assertThat(response.usage()).isEqualTo(new Usage(expected.totalInput(), expected.outputTokens(),
        expected.cacheRead(), expected.cacheCreation(), 0, false));

    List<ContentPart.ToolCall> calls = response.toolCalls();
    List<Tool> tools = new ArrayList<>(expected.tools().values());
    assertThat(calls).hasSameSizeAs(tools);
    for (int i = 0; i < tools.size(); i++) {
      assertThat(calls.get(i).id()).isEqualTo(tools.get(i).id());
      assertThat(calls.get(i).name()).isEqualTo(tools.get(i).name());
      String input = tools.get(i).input();
      assertThat(calls.get(i).arguments()).isEqualTo(input.isEmpty() ? "{}" : input);
    }

    List<ContentPart.Thinking> thinking = response.message().content().stream()
        .filter(ContentPart.Thinking.class::isInstance).map(ContentPart.Thinking.class::cast).toList();
    if (expected.signature() == null && expected.thinking().isEmpty()) {
      assertThat(thinking).isEmpty();
    } else {
      assertThat(thinking).singleElement().satisfies(t -> {
        assertThat(t.text()).isEqualTo(expected.thinking());
        assertThat(t.signature()).isEqualTo(expected.signature());
        assertThat(t.redacted()).isFalse();
      });
    }
  }

  @Test
  void basicTextStream() {
    server.enqueue(sse(Recordings.sseBody("stream-text-basic.sse")));
    ChatResponse r = assemble(streamAll(request("claude-3-opus-latest")));
    assertThat(r.text()).isEqualTo("Hello there!");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).isEqualTo("end_turn");
    assertThat(r.usage()).isEqualTo(Usage.of(11, 6));
    assertThat(r.id()).isEqualTo("msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK");
    assertThat(r.model()).isEqualTo("claude-3-opus-latest");
  }

  @Test
  void textThenToolUseStream() {
    server.enqueue(sse(Recordings.sseBody("stream-text-then-tool-use.sse")));
    ChatResponse r = assemble(streamAll(request("claude-sonnet-4")));
    assertThat(r.text()).isEqualTo("I'll check the current weather in Paris for you.");
    assertThat(r.toolCalls()).containsExactly(
        new ContentPart.ToolCall("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather",
            "{\"location\": \"Paris\"}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    // cache counts are recorded as 0: input is 377 + 0 + 0
    assertThat(r.usage()).isEqualTo(new Usage(377, 65, 0, 0, 0, false));
  }

  @Test
  void maxTokensCutsToolInputWhichIsKeptRaw() {
    server.enqueue(sse(Recordings.sseBody("stream-max-tokens-partial-tool-json.sse")));
    ChatResponse r = assemble(streamAll(request("claude-3-7-sonnet")));
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.rawFinishReason()).isEqualTo("max_tokens");
    ContentPart.ToolCall call = r.toolCalls().get(0);
    assertThat(call.name()).isEqualTo("make_file");
    assertThat(call.id()).isEqualTo("toolu_01EKqbqmZrGRXy18eN7m9kvY");
    assertThat(call.arguments()).startsWith("{\"filename\": \"taxes.txt\", \"lines_of_text\": [")
        .endsWith("\n\"Filing taxes");
    assertThatThrownBy(() -> Recordings.JSON.readTree(call.arguments()))
        .as("the recorded input never became valid JSON").isInstanceOf(Exception.class);
    assertThat(r.text()).startsWith("I'll create a comprehensive tax guide")
        .endsWith("Let me do that for you now.");
    assertThat(r.usage()).isEqualTo(new Usage(450, 124, 0, 0, 0, false));
  }

  @Test
  void refusalStreamIsContentFilterWithExplanation() {
    server.enqueue(sse(Recordings.sseBody("stream-refusal-stop-details.sse")));
    ChatResponse r = assemble(streamAll(request("claude-opus-4-7")));
    assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(r.rawFinishReason()).isEqualTo("refusal");
    assertThat(r.refusal()).isEqualTo("This request was refused due to policy.");
    assertThat(r.text()).isEmpty();
    assertThat(r.usage()).isEqualTo(Usage.of(20, 0));
  }

  @Test
  void jsonlTextStreamWithPaddingAndCacheFields() {
    server.enqueue(sse(Recordings.sseBody("stream-text.jsonl")));
    ChatResponse r = assemble(streamAll(request("claude-sonnet-4-5")));
    assertThat(r.text()).isEqualTo("Hello! I'm doing well, thank you for asking. How are you doing"
        + " today? Is there anything I can help you with?");
    assertThat(r.usage()).isEqualTo(new Usage(12, 30, 0, 0, 0, false));
  }

  @Test
  void thinkingStreamKeepsTextAndSignature() {
    server.enqueue(sse(Recordings.sseBody("stream-thinking-signature.jsonl")));
    ChatResponse r = assemble(streamAll(request("claude-sonnet-4-5")));
    ContentPart.Thinking thinking = (ContentPart.Thinking) r.message().content().get(0);
    assertThat(thinking.text())
        .isEqualTo("The previous result was 925. Now I need to divide that by 5.\n\n925 \u00f7 5 = 185");
    assertThat(thinking.signature()).startsWith("EvQBCkYICxgCKkAxhD4NUKFz").endsWith("Ca17BgB");
    assertThat(r.message().content().get(1)).isEqualTo(new ContentPart.Text("925 \u00f7 5 = 185"));
    assertThat(r.usage()).isEqualTo(Usage.of(69, 53));
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void toolWithoutArgumentsGetsEmptyObject() {
    server.enqueue(sse(Recordings.sseBody("stream-tool-no-args-pings.jsonl")));
    ChatResponse r = assemble(streamAll(request("claude-sonnet-4-5")));
    assertThat(r.text()).isEqualTo("I'll update the issue list for you.");
    assertThat(r.toolCalls()).containsExactly(
        new ContentPart.ToolCall("toolu_01QE1WLsSVp5hy5Q3GmGTmjP", "updateIssueList", "{}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(Usage.of(565, 48));
  }

  @Test
  void textMessageBody() {
    JsonNode recorded = Recordings.json("message-text.json");
    server.enqueue(json(200, recorded.toString()));
    ChatResponse r = provider.chat(request("claude-sonnet-4-5"), CallContext.standalone(false));
    assertThat(r.text()).isEqualTo(recorded.at("/content/0/text").asText())
        .isEqualTo("Hello! I'm doing well, thanks for asking. How are you doing today? Is there"
            + " anything I can help you with?");
    assertThat(r.id()).isEqualTo(recorded.get("id").asText()).isEqualTo("msg_01VdEjxAP5ahtHKrrRdNBteQ");
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(expectedUsage(recorded.get("usage"))).isEqualTo(Usage.of(12, 29));
  }

  @Test
  void thinkingMessageBody() {
    JsonNode recorded = Recordings.json("message-thinking.json");
    server.enqueue(json(200, recorded.toString()));
    ChatResponse r = provider.chat(request("claude-sonnet-4-5"), CallContext.standalone(false));
    assertThat(r.message().content()).containsExactly(
        new ContentPart.Thinking(recorded.at("/content/0/thinking").asText(),
            recorded.at("/content/0/signature").asText(), false),
        new ContentPart.Text("925 \u00f7 5 = 185"));
    assertThat(((ContentPart.Thinking) r.message().content().get(0)).text())
        .isEqualTo("925 divided by 5 = 185");
    assertThat(r.usage()).isEqualTo(expectedUsage(recorded.get("usage"))).isEqualTo(Usage.of(69, 33));
  }

  @Test
  void rateLimitedTwiceThenStreamed() throws Exception {
    JsonNode exchanges = Recordings.json("exchange-429-rate-limit-retried-then-stream.json");
    exchanges.forEach(e -> server.enqueue(Recordings.mockResponse(e)));
    ChatRequest request = ChatRequest.builder()
        .model("claude-sonnet-4-5")
        .maxTokens(1024)
        .user("Extract order IDs from the following text:\n\nOrder 12345\nOrder 67890")
        .responseFormat(ResponseFormat.jsonSchema("order_ids",
            exchanges.at("/0/request/body/output_config/format/schema").toString()))
        .build();

    for (int i = 0; i < 2; i++) {
      JsonNode recorded = exchanges.get(i);
      assertThatThrownBy(() -> provider.stream(request, CallContext.standalone(true)))
          .isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(429);
            assertThat(e.isRetryable()).isTrue(); // x-should-retry: true
            assertThat(e.retryAfter()).isNull(); // no retry-after was recorded
            assertThat(e.requestId()).isEqualTo(recorded.at("/response/body/request_id").asText());
            assertThat(e.provider()).isEqualTo("anthropic");
            assertThat(e.model()).isEqualTo("claude-sonnet-4-5");
            assertThat(e.getMessage()).contains("rate_limit_error");
          });
      assertRequestBody(server.takeRequest(), recorded);
    }
    List<ChatChunk> chunks = streamAll(request);
    assertRequestBody(server.takeRequest(), exchanges.get(2));
    Expected expected = Recordings.expectedFromStream(
        Recordings.sseEvents(exchanges.at("/2/response/body").asText()));
    ChatResponse r = assemble(chunks);
    assertThat(r.text()).isEqualTo(expected.text()).isEqualTo("[12345,67890]");
    assertThat(r.usage()).isEqualTo(Usage.of(135, 10));
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void rateLimitedTwiceThenJson() throws Exception {
    JsonNode exchanges = Recordings.json("exchange-429-rate-limit-retried-then-json.json");
    exchanges.forEach(e -> server.enqueue(Recordings.mockResponse(e)));
    ChatRequest request = ChatRequest.builder()
        .model("claude-sonnet-4-5")
        .maxTokens(1024)
        .user(exchanges.at("/0/request/body/messages/0/content").asText())
        .responseFormat(ResponseFormat.jsonSchema("OrderDetails",
            exchanges.at("/0/request/body/output_config/format/schema").toString()))
        .build();

    for (int i = 0; i < 2; i++) {
      JsonNode recorded = exchanges.get(i);
      assertThatThrownBy(() -> provider.chat(request, CallContext.standalone(false)))
          .isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.retryAfter()).isNull();
            assertThat(e.requestId()).isEqualTo(recorded.at("/response/body/request_id").asText());
          });
      assertRequestBody(server.takeRequest(), recorded);
    }
    ChatResponse r = provider.chat(request, CallContext.standalone(false));
    assertRequestBody(server.takeRequest(), exchanges.get(2));
    JsonNode body = exchanges.at("/2/response/body");
    assertThat(r.text()).isEqualTo(body.at("/content/0/text").asText());
    assertThat(Recordings.parse(r.text()).get("total").asDouble()).isEqualTo(14.0);
    assertThat(r.usage()).isEqualTo(expectedUsage(body.get("usage"))).isEqualTo(Usage.of(406, 50));
    assertThat(r.id()).isEqualTo("msg_01Q1NNiF8NA8EywFhxTmFbeP");
  }

  @Test
  void toolUseThenInvalidRequest() throws Exception {
    JsonNode exchanges = Recordings.json("exchange-tool-use-then-400-invalid-request.json");
    exchanges.forEach(e -> server.enqueue(Recordings.mockResponse(e)));
    JsonNode first = exchanges.at("/0/request/body");
    ChatRequest request = ChatRequest.builder()
        .model(first.get("model").asText())
        .maxTokens(first.get("max_tokens").asInt())
        .user(first.at("/messages/0/content").asText())
        .tools(tools(first.get("tools")))
        .build();

    ChatResponse r = provider.chat(request, CallContext.standalone(false));
    assertRequestBody(server.takeRequest(), exchanges.get(0));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    ContentPart.ToolCall call = r.toolCalls().get(0);
    assertThat(call.id()).isEqualTo("toolu_01GHndag5wQmbzNihYmV2UBj");
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(Recordings.parse(call.arguments()))
        .isEqualTo(exchanges.at("/0/response/body/content/0/input"));
    assertThat(r.usage()).isEqualTo(Usage.of(659, 74));

    // The recorded follow-up sent the tool result without the assistant's tool_use turn: two user
    // turns, which the API merged into one (its error points at messages.0.content.1). This adapter
    // merges consecutive user turns itself, so it sends the shape the API saw.
    JsonNode second = exchanges.at("/1/request/body");
    ChatRequest followUp = request.toBuilder()
        .message(Message.toolResult(call.id(), call.name(),
            second.at("/messages/1/content/0/content").asText()))
        .build();
    assertThatThrownBy(() -> provider.chat(followUp, CallContext.standalone(false)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e).isNotInstanceOf(ContextLengthExceededException.class);
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.isRetryable()).isFalse(); // x-should-retry: false
          assertThat(e.requestId()).isEqualTo("req_011CYHyk9NPsBYeGbC9LuDNK");
          assertThat(e.getMessage()).contains("invalid_request_error")
              .contains("unexpected `tool_use_id`");
        });
    ObjectNode merged = second.deepCopy();
    ArrayNode messages = (ArrayNode) merged.get("messages");
    ArrayNode content = Recordings.JSON.createArrayNode();
    content.addObject().put("type", "text").put("text", messages.get(0).get("content").asText());
    content.addAll((ArrayNode) messages.get(1).get("content"));
    messages.removeAll();
    messages.addObject().put("role", "user").set("content", content);
    assertThat(Recordings.parse(server.takeRequest().getBody().utf8())).isEqualTo(merged);
  }

  @Test
  void streamedToolUseRoundTrip() throws Exception {
    JsonNode exchanges = Recordings.json("exchange-stream-tool-use-roundtrip.json");
    exchanges.forEach(e -> server.enqueue(Recordings.mockResponse(e)));
    JsonNode first = exchanges.at("/0/request/body");
    ChatRequest request = ChatRequest.builder()
        .model(first.get("model").asText())
        .maxTokens(first.get("max_tokens").asInt())
        .user(first.at("/messages/0/content").asText())
        .tools(tools(first.get("tools")))
        .build();

    ChatResponse answer = assemble(streamAll(request));
    assertRequestBody(server.takeRequest(), exchanges.get(0));
    Expected expected = Recordings.expectedFromStream(
        Recordings.sseEvents(exchanges.at("/0/response/body").asText()));
    Tool tool = expected.tools().get(0);
    ContentPart.ToolCall call = answer.toolCalls().get(0);
    assertThat(call).isEqualTo(new ContentPart.ToolCall(tool.id(), tool.name(), tool.input()));
    assertThat(call.arguments()).isEqualTo("{\"location\": \"San Francisco, CA\", \"units\": \"f\"}");
    assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(answer.usage()).isEqualTo(Usage.of(656, 74));

    JsonNode second = exchanges.at("/1/request/body");
    ChatRequest followUp = request.toBuilder()
        .message(answer.message())
        .message(Message.toolResult(call.id(), call.name(),
            second.at("/messages/2/content/0/content").asText()))
        .build();
    ChatResponse r = assemble(streamAll(followUp));
    // the SDK echoed the response's "caller" field back; the common model does not carry it
    ObjectNode withoutCaller = second.deepCopy();
    ((ObjectNode) withoutCaller.at("/messages/1/content/0")).remove("caller");
    assertThat(Recordings.parse(server.takeRequest().getBody().utf8())).isEqualTo(withoutCaller);
    assertThat(r.text()).isEqualTo(Recordings.expectedFromStream(
        Recordings.sseEvents(exchanges.at("/1/response/body").asText())).text());
    assertThat(r.text()).startsWith("The weather in San Francisco, CA is currently:")
        .endsWith("It's a nice sunny day!");
    assertThat(r.usage()).isEqualTo(Usage.of(770, 38));
  }

  // --- helpers

  private List<ChatChunk> streamAll(ChatRequest request) {
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(request, CallContext.standalone(true))) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }
    return chunks;
  }

  private static ChatResponse assemble(List<ChatChunk> chunks) {
    var acc = new dev.llmgateway.ChatResponseAccumulator();
    chunks.forEach(acc::accept);
    return acc.build();
  }

  private static ChatRequest request(String model) {
    return ChatRequest.builder().model(model).user("hi").build();
  }

  private static List<ToolDefinition> tools(JsonNode tools) {
    List<ToolDefinition> defs = new ArrayList<>();
    for (JsonNode t : tools) {
      defs.add(ToolDefinition.of(t.get("name").asText(), t.get("description").asText(),
          t.get("input_schema").toString()));
    }
    return defs;
  }

  /** Normalized usage computed from a recorded usage object. */
  private static Usage expectedUsage(JsonNode u) {
    long read = u.path("cache_read_input_tokens").asLong();
    long creation = u.path("cache_creation_input_tokens").asLong();
    return new Usage(u.get("input_tokens").asLong() + read + creation,
        u.get("output_tokens").asLong(), read, creation, 0, false);
  }

  private static void assertRequestBody(RecordedRequest sent, JsonNode exchange) {
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/messages");
    assertThat(sent.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(sent.getHeaders().get("anthropic-version"))
        .isEqualTo(exchange.at("/request/headers/anthropic-version").asText());
    assertThat(Recordings.parse(sent.getBody().utf8())).isEqualTo(exchange.at("/request/body"));
  }

  private static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200)
        .addHeader("content-type", "text/event-stream; charset=utf-8")
        .body(body).build();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("content-type", "application/json")
        .body(body).build();
  }
}

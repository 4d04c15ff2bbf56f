package dev.llmgateway.provider.openai;

import static dev.llmgateway.provider.openai.OpenAiTestSupport.REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.ConformanceFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recording of {@code conformance/openai-chat} through the adapter and checks the answer
 * against what the recording itself says, read independently here with Jackson.
 */
class OpenAiConformanceTest {
  private static final String DIR = "openai-chat";
  private final ObjectMapper mapper = new ObjectMapper();
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

  static Stream<Path> streamRecordings() {
    return ConformanceFiles.files(DIR, ".sse", ".jsonl").stream();
  }

  private List<ChatChunk> streamAll(Path file) {
    return ChatCompletionsRecording.replay(server, provider, OpenAiTestSupport.simpleRequest(), file,
        true, "x-request-id", REQUEST_ID);
  }

  private static ChatResponse assemble(List<ChatChunk> chunks) {
    return ChatCompletionsRecording.assemble(chunks);
  }

  @ParameterizedTest
  @MethodSource("streamRecordings")
  void streamedAnswerMatchesTheRecording(Path file) throws Exception {
    ChatCompletionsRecording.Expected expected = ChatCompletionsRecording.expected(file);
    List<ChatChunk> chunks = streamAll(file);
    assertThat(chunks.get(0)).isEqualTo(new ChatChunk.Start(expected.id(), expected.model(), "openai",
        REQUEST_ID));
    assertThat(chunks).filteredOn(c -> c instanceof ChatChunk.Start).hasSize(1);
    ChatResponse response = assemble(chunks);
    assertThat(response.text()).isEqualTo(expected.text());
    assertThat(ChatCompletionsRecording.thinkingOf(response)).isEqualTo(expected.thinking());
    assertThat(response.refusal()).isEqualTo(expected.refusal());
    assertThat(response.rawFinishReason()).isEqualTo(expected.finishReason());
    assertThat(response.usage()).isEqualTo(expected.usage() != null ? expected.usage() : Usage.ZERO);
    assertThat(response.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(response.id()).isEqualTo(expected.id());
    assertThat(response.model()).isEqualTo(expected.model());
    assertThat(response.provider()).isEqualTo("openai");
    assertThat(response.requestId()).isEqualTo(REQUEST_ID);
    assertThat(ChatCompletionsRecording.argumentsAreJsonObjects(response)).isTrue();
  }

  @Test
  void textStreamSpotCheck() {
    ChatResponse r = assemble(streamAll(ConformanceFiles.file(DIR, "stream-text-include-usage.sse")));
    assertThat(r.text()).startsWith("I'm unable to provide real-time weather updates.");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(new Usage(14, 30, 0, 0, 0, false));
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.id()).isEqualTo("chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL");
  }

  @Test
  void parallelToolCallsSpotCheck() {
    List<ChatChunk> chunks = streamAll(ConformanceFiles.file(DIR, "stream-parallel-tool-calls.sse"));
    ChatResponse r = assemble(chunks);
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls()).containsExactly(
        new ContentPart.ToolCall("call_JMW1whyEaYG438VE1OIflxA2", "GetWeatherArgs",
            "{\"city\": \"Edinburgh\", \"country\": \"GB\", \"units\": \"c\"}"),
        new ContentPart.ToolCall("call_DNYTawLBoN8fj3KN6qU9N1Ou", "get_stock_price",
            "{\"ticker\": \"AAPL\", \"exchange\": \"NASDAQ\"}"));
    assertThat(r.usage()).isEqualTo(Usage.of(149, 60));
    // fragments are forwarded as they came, not pre-assembled
    assertThat(chunks).filteredOn(c -> c instanceof ChatChunk.ToolCallDelta).hasSizeGreaterThan(10);
    assertThat(chunks).filteredOn(c -> c instanceof ChatChunk.ToolCallDelta d && d.id() != null)
        .extracting(c -> ((ChatChunk.ToolCallDelta) c).index()).containsExactly(0, 1);
  }

  @Test
  void singleFragmentedToolCallSpotCheck() {
    ChatResponse r = assemble(streamAll(ConformanceFiles.file(DIR, "stream-single-tool-call-fragmented.sse")));
    assertThat(r.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("call_id");
      assertThat(c.name()).isEqualTo("WeatherPlugin-GetWeather");
      assertThat(c.arguments()).isEqualTo("{\n  \"addressCode\": \"440100\"\n}");
    });
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void refusalSpotCheck() {
    ChatResponse r = assemble(streamAll(ConformanceFiles.file(DIR, "stream-refusal-with-logprobs.sse")));
    assertThat(r.refusal()).isEqualTo("I'm very sorry, but I can't assist with that.");
    assertThat(r.text()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(Usage.of(79, 12));
  }

  @Test
  void lengthFinishSpotCheck() {
    ChatResponse r = assemble(streamAll(ConformanceFiles.file(DIR, "stream-finish-length.sse")));
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.rawFinishReason()).isEqualTo("length");
    assertThat(r.usage()).isEqualTo(Usage.of(79, 1));
  }

  @Test
  void multipleChoicesKeepOnlyChoiceZero() {
    ChatResponse r = assemble(streamAll(ConformanceFiles.file(DIR, "stream-multiple-choices-n3.sse")));
    assertThat(r.text()).isEqualTo("{\"city\":\"San Francisco\",\"temperature\":65,\"units\":\"f\"}");
    assertThat(r.usage()).isEqualTo(Usage.of(79, 42));
  }

  @Test
  void obfuscatedStreamSpotCheck() {
    ChatResponse r = assemble(streamAll(ConformanceFiles.file(DIR, "stream-text-obfuscation.jsonl")));
    assertThat(r.text()).startsWith("**Holiday Name:** Harmony Day");
    assertThat(r.usage()).isEqualTo(Usage.of(16, 300));
    assertThat(r.model()).isEqualTo("gpt-4.1-nano-2025-04-14");
    assertThat(r.id()).isEqualTo("chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0");
  }

  @Test
  void blockingResponseMatchesTheRecording() throws Exception {
    Path file = ConformanceFiles.file(DIR, "response-text.json");
    JsonNode recorded = mapper.readTree(ConformanceFiles.bytes(file));
    server.enqueue(OpenAiTestSupport.json(200, ConformanceFiles.text(file)));
    ChatResponse r = provider.chat(OpenAiTestSupport.simpleRequest(), CallContext.standalone(false));
    JsonNode choice = recorded.get("choices").get(0);
    assertThat(r.text()).isEqualTo(choice.get("message").get("content").asText());
    assertThat(r.rawFinishReason()).isEqualTo(choice.get("finish_reason").asText());
    JsonNode usage = recorded.get("usage");
    assertThat(r.usage()).isEqualTo(new Usage(usage.get("prompt_tokens").asLong(),
        usage.get("completion_tokens").asLong(),
        usage.get("prompt_tokens_details").get("cached_tokens").asLong(), 0,
        usage.get("completion_tokens_details").get("reasoning_tokens").asLong(), false));
    assertThat(r.id()).isEqualTo(recorded.get("id").asText());
    assertThat(r.model()).isEqualTo(recorded.get("model").asText());
    // literal spot checks
    assertThat(r.usage()).isEqualTo(Usage.of(16, 363));
    assertThat(r.id()).isEqualTo("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    assertThat(r.model()).isEqualTo("gpt-4.1-nano-2025-04-14");
    assertThat(r.text()).startsWith("**Holiday Name:** Galaxy Day").contains("darkness\u2014mirroring");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.refusal()).isNull();
    assertThat(r.requestId()).isEqualTo(REQUEST_ID);
    assertThat(r.provider()).isEqualTo("openai");
  }

  @Test
  void recordedUnsupportedParameterErrorIsAnInvalidRequest() {
    Path file = ConformanceFiles.file(DIR, "error-400-unsupported-parameter.json");
    server.enqueue(OpenAiTestSupport.json(400, ConformanceFiles.text(file)));
    assertThatThrownBy(() -> provider.chat(OpenAiTestSupport.simpleRequest(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.requestId()).isEqualTo(REQUEST_ID);
          assertThat(e.getMessage()).contains("unsupported_parameter", "max_completion_tokens");
        });
  }

  @Test
  void recordedInsufficientQuotaIsANonRetryableRateLimit() {
    Path file = ConformanceFiles.file(DIR, "error-429-insufficient-quota.json");
    server.enqueue(OpenAiTestSupport.json(429, ConformanceFiles.text(file)));
    assertThatThrownBy(() -> provider.chat(OpenAiTestSupport.simpleRequest(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.httpStatus()).isEqualTo(429);
          assertThat(e.getMessage()).contains("insufficient_quota");
        });
  }

  @Test
  void everyRecordingIsCovered() {
    assertThat(ConformanceFiles.files(DIR, ".sse", ".jsonl", ".json")).extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("error-400-unsupported-parameter.json", "error-429-insufficient-quota.json",
            "response-text.json", "stream-content-logprobs.sse", "stream-finish-length.sse",
            "stream-multiple-choices-n3.sse", "stream-parallel-tool-calls.sse",
            "stream-refusal-with-logprobs.sse", "stream-single-tool-call-fragmented.sse",
            "stream-text-include-usage.sse", "stream-text-obfuscation.jsonl");
  }
}

package dev.llmgateway.provider.openai;

import static dev.llmgateway.provider.openai.OpenAiTestSupport.REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.ConformanceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
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

  /** What a recording says, read with plain line splitting and Jackson, not with the adapter's code. */
  record Expected(@Nullable String id, @Nullable String model, String text, @Nullable String refusal,
      @Nullable String finishReason, @Nullable Usage usage, List<ContentPart.ToolCall> toolCalls) {}

  private Expected expectationsOf(Path file) throws Exception {
    List<String> payloads = new ArrayList<>();
    if (file.toString().endsWith(".jsonl")) {
      payloads.addAll(ConformanceFiles.jsonLines(file));
    } else {
      for (String line : ConformanceFiles.text(file).split("\n")) {
        if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
          payloads.add(line.substring("data: ".length()));
        }
      }
    }
    String id = null;
    String model = null;
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    String finish = null;
    Usage usage = null;
    Map<Integer, String[]> tools = new LinkedHashMap<>();
    for (String payload : payloads) {
      JsonNode chunk = mapper.readTree(payload);
      if (id == null) {
        id = chunk.get("id").asText();
        model = chunk.get("model").asText();
      }
      for (JsonNode choice : chunk.get("choices")) {
        if (choice.get("index").asInt() != 0) {
          continue;
        }
        JsonNode delta = choice.get("delta");
        if (delta.hasNonNull("content")) {
          text.append(delta.get("content").asText());
        }
        if (delta.hasNonNull("refusal")) {
          refusal.append(delta.get("refusal").asText());
        }
        if (delta.hasNonNull("tool_calls")) {
          for (JsonNode call : delta.get("tool_calls")) {
            String[] slot = tools.computeIfAbsent(call.get("index").asInt(), i -> new String[] {"", "", ""});
            if (call.hasNonNull("id")) {
              slot[0] = call.get("id").asText();
            }
            JsonNode function = call.path("function");
            if (function.hasNonNull("name")) {
              slot[1] = function.get("name").asText();
            }
            if (function.hasNonNull("arguments")) {
              slot[2] += function.get("arguments").asText();
            }
          }
        }
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.get("finish_reason").asText();
        }
      }
      JsonNode u = chunk.get("usage");
      if (u != null && !u.isNull()) {
        usage = new Usage(u.get("prompt_tokens").asLong(), u.get("completion_tokens").asLong(),
            u.path("prompt_tokens_details").path("cached_tokens").asLong(0), 0,
            u.path("completion_tokens_details").path("reasoning_tokens").asLong(0), false);
      }
    }
    List<ContentPart.ToolCall> calls = tools.values().stream()
        .map(s -> new ContentPart.ToolCall(s[0], s[1], s[2])).toList();
    return new Expected(id, model, text.toString(), refusal.length() > 0 ? refusal.toString() : null,
        finish, usage, calls);
  }

  private List<ChatChunk> streamAll(Path file) {
    server.enqueue(OpenAiTestSupport.sse(ConformanceFiles.asSse(file, true)));
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(OpenAiTestSupport.simpleRequest(),
        CallContext.standalone(true))) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }
    return chunks;
  }

  private static ChatResponse assemble(List<ChatChunk> chunks) {
    return ChatStream.of(chunks).collect();
  }

  @ParameterizedTest
  @MethodSource("streamRecordings")
  void streamedAnswerMatchesTheRecording(Path file) throws Exception {
    Expected expected = expectationsOf(file);
    List<ChatChunk> chunks = streamAll(file);
    assertThat(chunks.get(0)).isEqualTo(new ChatChunk.Start(expected.id(), expected.model(), "openai",
        REQUEST_ID));
    assertThat(chunks).filteredOn(c -> c instanceof ChatChunk.Start).hasSize(1);
    ChatResponse response = assemble(chunks);
    assertThat(response.text()).isEqualTo(expected.text());
    assertThat(response.refusal()).isEqualTo(expected.refusal());
    assertThat(response.rawFinishReason()).isEqualTo(expected.finishReason());
    assertThat(response.usage()).isEqualTo(expected.usage() != null ? expected.usage() : Usage.ZERO);
    assertThat(response.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(response.id()).isEqualTo(expected.id());
    assertThat(response.model()).isEqualTo(expected.model());
    assertThat(response.provider()).isEqualTo("openai");
    assertThat(response.requestId()).isEqualTo(REQUEST_ID);
    for (ContentPart.ToolCall call : response.toolCalls()) {
      assertThat(mapper.readTree(call.arguments()).isObject()).as(call.arguments()).isTrue();
    }
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

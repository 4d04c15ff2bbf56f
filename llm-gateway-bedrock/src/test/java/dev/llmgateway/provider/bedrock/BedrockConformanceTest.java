package dev.llmgateway.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays every recorded Bedrock payload through the provider, over HTTP. */
class BedrockConformanceTest {
  private MockWebServer server;
  private BedrockChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = BedrockChatProvider.builder().baseUrl(server.url("/").toString())
        .apiKey(BedrockChatProviderTest.API_KEY).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  static Stream<Path> recordings() {
    return BedrockTestSupport.allFiles().stream();
  }

  @Test
  void everyRecordingIsCovered() {
    assertThat(BedrockTestSupport.allFiles()).extracting(p -> p.getFileName().toString())
        .allSatisfy(name -> assertThat(name).matches(".*\\.(json|jsonl|bin)"))
        .contains("converse-text.json", "converse-stream-eventstream.bin",
            "converse-stream-text.jsonl", "converse-stream-reasoning.jsonl",
            "converse-stream-text-then-two-tool-uses.jsonl");
  }

  /** Every file replays without error, and the result agrees with what the file itself says. */
  @ParameterizedTest
  @MethodSource("recordings")
  void replaysAndAgreesWithTheRecording(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".json")) {
      server.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "application/json")
          .body(BedrockTestSupport.text(file)).build());
      ChatResponse r = provider.chat(request(), CallContext.standalone(false));
      JsonNode root = BedrockTestSupport.json(BedrockTestSupport.text(file));
      assertThat(r.rawFinishReason()).isEqualTo(root.path("stopReason").asText());
      assertThat(r.usage().outputTokens()).isEqualTo(root.path("usage").path("outputTokens").asLong());
      return;
    }
    Expected expected = name.endsWith(".bin") ? fromFrames(BedrockTestSupport.bytes(file))
        : fromJsonl(file);
    List<ChatChunk> chunks = new ArrayList<>();
    ChatResponse r = replay(file, chunks);
    assertThat(chunks.get(0)).isInstanceOf(ChatChunk.Start.class);
    assertThat(r.text()).isEqualTo(expected.text);
    assertThat(r.rawFinishReason()).isEqualTo(expected.stopReason);
    assertThat(r.usage().inputTokens()).isEqualTo(expected.inputTokens);
    assertThat(r.usage().outputTokens()).isEqualTo(expected.outputTokens);
    assertThat(r.usage().totalTokens()).isEqualTo(expected.totalTokens);
    assertThat(r.provider()).isEqualTo("bedrock");
    assertThat(r.model()).isEqualTo(BedrockChatProviderTest.MODEL);
  }

  @Test
  void binaryRecordingGivesItsTextFinishAndUsage() {
    List<ChatChunk> chunks = new ArrayList<>();
    ChatResponse r = replay(BedrockTestSupport.file("converse-stream-eventstream.bin"), chunks);
    assertThat(r.text()).isEqualTo("2 + 2 = 4.");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).isEqualTo("end_turn");
    assertThat(r.usage()).isEqualTo(Usage.of(37, 15));
    assertThat(r.usage().totalTokens()).isEqualTo(52);
    // metadata comes after messageStop: usage is the last chunk
    assertThat(chunks.get(chunks.size() - 1)).isEqualTo(new ChatChunk.UsageUpdate(Usage.of(37, 15)));
    assertThat(chunks.get(chunks.size() - 2))
        .isEqualTo(new ChatChunk.Finish(FinishReason.STOP, "end_turn"));
  }

  @Test
  void textStreamGivesTheWholeAnswer() {
    List<ChatChunk> chunks = new ArrayList<>();
    ChatResponse r = replay(BedrockTestSupport.file("converse-stream-text.jsonl"), chunks);
    assertThat(r.text()).isEqualTo("Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-"
        + "**r**-y\n\nThere are **3** r's in \"strawberry.\"");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(Usage.of(22, 55));
    long deltas = BedrockTestSupport.events(BedrockTestSupport.file("converse-stream-text.jsonl"))
        .stream().filter(e -> e.getKey().equals("contentBlockDelta")).count();
    assertThat(deltas).isEqualTo(12);
    assertThat(chunks.stream().filter(c -> c instanceof ChatChunk.TextDelta).count())
        .isEqualTo(deltas);
  }

  @Test
  void reasoningStreamGivesSignedThinkingThenText() {
    Path file = BedrockTestSupport.file("converse-stream-reasoning.jsonl");
    ChatResponse r = replay(file, new ArrayList<>());
    StringBuilder reasoning = new StringBuilder();
    String signature = null;
    for (Map.Entry<String, JsonNode> e : BedrockTestSupport.events(file)) {
      JsonNode rc = e.getValue().path("delta").path("reasoningContent");
      if (rc.has("text")) {
        reasoning.append(rc.get("text").asText());
      }
      if (rc.has("signature")) {
        signature = rc.get("signature").asText();
      }
    }
    assertThat(r.message().content()).hasSize(2);
    ContentPart.Thinking thinking = (ContentPart.Thinking) r.message().content().get(0);
    assertThat(thinking.text()).isEqualTo(reasoning.toString())
        .startsWith("Let me count the r's in \"strawberry\":").endsWith("So there are 3 r's.");
    assertThat(thinking.signature()).isEqualTo(signature).startsWith("Ep0CCkgICxAB");
    assertThat(thinking.redacted()).isFalse();
    assertThat(r.text()).startsWith("There are **3** r's in \"strawberry\":").endsWith("r**y");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(Usage.of(51, 94));
  }

  @Test
  void toolStreamGivesTextAndTwoToolCallsWithAssembledInput() {
    List<ChatChunk> chunks = new ArrayList<>();
    ChatResponse r = replay(BedrockTestSupport.file("converse-stream-text-then-two-tool-uses.jsonl"),
        chunks);
    assertThat(r.text()).isEqualTo("2 + 2 equals 4. Now let me check the weather for you.");
    assertThat(r.toolCalls()).containsExactly(
        new ContentPart.ToolCall("weather-tool-1", "weather", "{\"location\":\"San Francisco\"}"),
        new ContentPart.ToolCall("weather-tool-2", "weather", "{\"location\":\"London\"}"));
    assertThat(r.toolCalls()).allSatisfy(c ->
        assertThat(BedrockTestSupport.json(c.arguments()).path("location").isTextual()).isTrue());
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.rawFinishReason()).isEqualTo("tool_use");
    // this recording sends metadata before messageStop; the stream still completes at messageStop
    assertThat(r.usage()).isEqualTo(Usage.of(500, 100));
    assertThat(chunks).contains(new ChatChunk.ToolCallDelta(1, "weather-tool-1", "weather", ""),
        new ChatChunk.ToolCallDelta(1, null, null, "{\"location\":"),
        new ChatChunk.ToolCallDelta(2, "weather-tool-2", "weather", ""));
  }

  private ChatResponse replay(Path file, List<ChatChunk> chunks) {
    byte[] body = file.getFileName().toString().endsWith(".bin") ? BedrockTestSupport.bytes(file)
        : BedrockTestSupport.eventStreamOf(file);
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/vnd.amazon.eventstream")
        .addHeader("x-amzn-RequestId", "stream-req-1")
        .body(new Buffer().write(body)).build());
    ChatResponse r;
    try (ChatStream stream = provider.stream(request(), CallContext.standalone(true))) {
      r = stream.peek(chunks::add).collect();
    }
    assertThat(r.requestId()).isEqualTo("stream-req-1");
    return r;
  }

  private static ChatRequest request() {
    return ChatRequest.builder().model(BedrockChatProviderTest.MODEL).user("hi").build();
  }

  /** What a decoded stream says, read straight from its events. */
  private record Expected(String text, String stopReason, long inputTokens, long outputTokens,
      long totalTokens) {}

  private static Expected fromJsonl(Path file) {
    List<Map.Entry<String, JsonNode>> events = BedrockTestSupport.events(file);
    return expected(events);
  }

  private static Expected fromFrames(byte[] body) {
    List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
    for (BedrockTestSupport.Frame f : BedrockTestSupport.decodeFrames(body)) {
      events.add(Map.entry(f.headers().get(":event-type"), BedrockTestSupport.json(f.payload())));
    }
    return expected(events);
  }

  private static Expected expected(List<Map.Entry<String, JsonNode>> events) {
    StringBuilder text = new StringBuilder();
    String stop = null;
    JsonNode usage = null;
    for (Map.Entry<String, JsonNode> e : events) {
      JsonNode p = e.getValue();
      switch (e.getKey()) {
        case "contentBlockDelta" -> {
          if (p.path("delta").has("text")) {
            text.append(p.path("delta").path("text").asText());
          }
        }
        case "messageStop" -> stop = p.path("stopReason").asText();
        case "metadata" -> usage = p.path("usage");
        default -> { }
      }
    }
    assertThat(usage).as("the recording has usage").isNotNull();
    return new Expected(text.toString(), stop, usage.path("inputTokens").asLong(),
        usage.path("outputTokens").asLong(), usage.path("totalTokens").asLong());
  }
}

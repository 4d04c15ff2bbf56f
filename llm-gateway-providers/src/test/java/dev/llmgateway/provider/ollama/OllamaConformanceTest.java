package dev.llmgateway.provider.ollama;

import static dev.llmgateway.provider.ollama.OllamaTestSupport.json;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.ndjson;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.provider.ConformanceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays every recording under {@code conformance/ollama}. Expectations are computed from the files
 * themselves with a plain JSON parser (what a correct adapter must produce), and spot-checked against
 * literal values read off the recordings.
 */
class OllamaConformanceTest {
  private MockWebServer server;
  private OllamaChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = OllamaChatProvider.builder().baseUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  @Test
  void everyRecordingIsCoveredByATest() {
    Map<String, String> covered = new TreeMap<>(Map.of(
        "chat-response-text.json", "chatResponsesMatchTheirRecordings",
        "chat-response-tool-calls.json", "chatResponsesMatchTheirRecordings",
        "chat-stream-text.ndjson", "chatStreamMatchesItsRecording",
        "generate-stream-text.ndjson", "generateStreamIsNotTheChatFormatAndIsRefused"));
    List<String> present = ConformanceFiles.files("ollama", ".json", ".ndjson").stream()
        .map(p -> p.getFileName().toString()).toList();
    assertThat(present).containsExactlyInAnyOrderElementsOf(covered.keySet());
  }

  @Test
  void chatResponsesMatchTheirRecordings() {
    List<Path> files = ConformanceFiles.files("ollama", ".json").stream()
        .filter(p -> p.getFileName().toString().startsWith("chat-response-")).toList();
    assertThat(files).hasSize(2);
    for (Path file : files) {
      String body = ConformanceFiles.text(file);
      server.enqueue(json(200, body));
      ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
      JsonNode root = OllamaTestSupport.parse(body);
      JsonNode message = root.get("message");
      String name = file.getFileName().toString();

      assertThat(r.text()).as(name).isEqualTo(message.path("content").asText(""));
      List<ContentPart.ToolCall> expectedCalls = new ArrayList<>();
      int n = 0;
      for (JsonNode call : message.path("tool_calls")) {
        JsonNode args = call.path("function").get("arguments");
        expectedCalls.add(new ContentPart.ToolCall("call_" + n++,
            call.path("function").path("name").asText(), args == null ? "{}" : args.toString()));
      }
      assertThat(r.toolCalls()).as(name).containsExactlyElementsOf(expectedCalls);
      assertThat(r.usage()).as(name).isEqualTo(Usage.of(root.path("prompt_eval_count").asLong(),
          root.path("eval_count").asLong()));
      assertThat(r.rawFinishReason()).as(name).isEqualTo(root.path("done_reason").asText());
      assertThat(r.finishReason()).as(name)
          .isEqualTo(expectedCalls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS);
      assertThat(r.model()).as(name).isEqualTo(root.path("model").asText());
      assertThat(r.provider()).isEqualTo("ollama");
      assertThat(r.id()).isNull();
    }
  }

  @Test
  void chatResponseLiteralSpotChecks() {
    server.enqueue(json(200, ConformanceFiles.text(
        ConformanceFiles.file("ollama", "chat-response-text.json"))));
    ChatResponse text = provider.chat(simple(), CallContext.standalone(false));
    assertThat(text.text()).isEqualTo("This is test completion response");
    assertThat(text.usage()).isEqualTo(Usage.of(38, 45));
    assertThat(text.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(text.model()).isEqualTo("llama3.2");

    server.enqueue(json(200, ConformanceFiles.text(
        ConformanceFiles.file("ollama", "chat-response-tool-calls.json"))));
    ChatResponse tools = provider.chat(simple(), CallContext.standalone(false));
    assertThat(tools.message().content()).containsExactly(
        new ContentPart.ToolCall("call_0", "MyPlugin_GetCurrentWeather", "{\"location\":\"Boston, MA\"}"),
        new ContentPart.ToolCall("call_1", "MyPlugin_FunctionWithException", "{\"argument\":\"value\"}"),
        new ContentPart.ToolCall("call_2", "MyPlugin_NonExistentFunction", "{\"argument\":\"value\"}"),
        new ContentPart.ToolCall("call_3", "MyPlugin_InvalidArguments", "{}"),
        new ContentPart.ToolCall("call_4", "MyPlugin_IntArguments", "{\"age\":\"36\"}"));
    assertThat(tools.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(tools.rawFinishReason()).isEqualTo("stop");
    assertThat(tools.usage()).isEqualTo(Usage.of(152, 22));
  }

  @Test
  void chatStreamMatchesItsRecording() {
    Path file = ConformanceFiles.file("ollama", "chat-stream-text.ndjson");
    List<JsonNode> lines = ConformanceFiles.jsonLines(file).stream()
        .map(OllamaTestSupport::parse).toList();
    StringBuilder expectedText = new StringBuilder();
    List<ChatChunk> expectedDeltas = new ArrayList<>();
    for (JsonNode line : lines) {
      String content = line.path("message").path("content").asText("");
      if (!content.isEmpty()) {
        expectedText.append(content);
        expectedDeltas.add(new ChatChunk.TextDelta(content));
      }
    }
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.path("done").asBoolean()).isTrue();

    server.enqueue(ndjson(ConformanceFiles.bytes(file)));
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      stream.forEach(chunks::add);
    }
    assertThat(chunks.get(0)).isEqualTo(
        new ChatChunk.Start(null, lines.get(0).path("model").asText(), "ollama", null));
    assertThat(chunks.stream().filter(ChatChunk.TextDelta.class::isInstance).toList())
        .containsExactlyElementsOf(expectedDeltas);
    Usage expectedUsage = Usage.of(last.path("prompt_eval_count").asLong(),
        last.path("eval_count").asLong());
    assertThat(chunks.subList(chunks.size() - 2, chunks.size())).containsExactly(
        new ChatChunk.Finish(FinishReason.STOP, last.path("done_reason").asText()),
        new ChatChunk.UsageUpdate(expectedUsage));

    server.enqueue(ndjson(ConformanceFiles.bytes(file)));
    ChatResponse collected = provider.stream(simple(), CallContext.standalone(true)).collect();
    assertThat(collected.text()).isEqualTo(expectedText.toString())
        .isEqualTo("This is test completion response");
    assertThat(collected.usage()).isEqualTo(expectedUsage).isEqualTo(Usage.of(10, 239));
    assertThat(collected.model()).isEqualTo("phi3");
    assertThat(collected.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(collected.rawFinishReason()).isEqualTo("stop");
  }

  @Test
  void generateStreamIsNotTheChatFormatAndIsRefused() {
    Path file = ConformanceFiles.file("ollama", "generate-stream-text.ndjson");
    List<JsonNode> lines = ConformanceFiles.jsonLines(file).stream()
        .map(OllamaTestSupport::parse).toList();
    // what tells the two apart: /api/generate lines carry "response" (and a final "context"), never
    // the "message" object of /api/chat
    assertThat(lines).allSatisfy(l -> {
      assertThat(l.has("message")).isFalse();
      assertThat(l.get("response").isTextual()).isTrue();
    });
    assertThat(lines.get(lines.size() - 1).get("context").isArray()).isTrue();

    server.enqueue(ndjson(ConformanceFiles.bytes(file)));
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(stream::next)
          .isInstanceOf(MalformedResponseException.class)
          .hasMessageContaining("/api/generate")
          .hasMessageContaining("/api/chat");
    }
  }
}

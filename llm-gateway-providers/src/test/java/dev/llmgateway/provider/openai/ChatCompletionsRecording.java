package dev.llmgateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Usage;
import dev.llmgateway.provider.ConformanceFiles;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.spi.ChatProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;

/**
 * What a recorded Chat Completions stream says, read with plain line splitting and Jackson, never with
 * the adapter's code, so that a replay through an adapter can be checked against it; and the replay
 * itself. Shared by the OpenAI, Azure OpenAI, Mistral and compatible-server conformance tests.
 */
public final class ChatCompletionsRecording {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ChatCompletionsRecording() {}

  /**
   * Choice 0 of a recording: the first non-empty id and model, text, reasoning, refusal, last finish
   * reason, last usage ({@code usage}, else Groq's {@code x_groq.usage}) and tool calls (grouped by
   * {@code index}; without one, a fragment with an id starts a call and one without continues the last).
   */
  public record Expected(@Nullable String id, @Nullable String model, String text, String thinking,
      @Nullable String refusal, @Nullable String finishReason, @Nullable Usage usage,
      List<ContentPart.ToolCall> toolCalls) {}

  /** The {@code data:} payloads of a recording, without {@code [DONE]}. */
  public static List<String> payloads(Path file) {
    if (file.toString().endsWith(".jsonl")) {
      return ConformanceFiles.jsonLines(file);
    }
    List<String> payloads = new ArrayList<>();
    for (String line : ConformanceFiles.text(file).split("\n")) {
      String l = line.strip();
      if (l.startsWith("data:") && !l.equals("data: [DONE]")) {
        payloads.add(l.substring("data:".length()).strip());
      }
    }
    return payloads;
  }

  public static Expected expected(Path file) {
    String id = null;
    String model = null;
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    String finish = null;
    Usage usage = null;
    Map<String, String[]> tools = new LinkedHashMap<>();
    String lastTool = null;
    for (String payload : payloads(file)) {
      JsonNode chunk = read(payload);
      if (id == null && !chunk.path("id").asText("").isEmpty()) {
        id = chunk.get("id").asText();
      }
      if (model == null && !chunk.path("model").asText("").isEmpty()) {
        model = chunk.get("model").asText();
      }
      for (JsonNode choice : chunk.path("choices")) {
        if (choice.path("index").asInt(0) != 0) {
          continue;
        }
        JsonNode delta = choice.path("delta");
        text.append(delta.path("content").asText(""));
        thinking.append(delta.path("reasoning_content").asText(""));
        refusal.append(delta.path("refusal").asText(""));
        for (JsonNode call : delta.path("tool_calls")) {
          String key;
          if (call.has("index")) {
            key = "index-" + call.get("index").asInt();
          } else if (call.hasNonNull("id") || lastTool == null) {
            key = "call-" + tools.size();
          } else {
            key = lastTool;
          }
          String[] slot = tools.computeIfAbsent(key, k -> new String[] {"", "", ""});
          if (call.hasNonNull("id")) {
            slot[0] = call.get("id").asText();
          }
          JsonNode function = call.path("function");
          if (function.hasNonNull("name")) {
            slot[1] = function.get("name").asText();
          }
          slot[2] += function.path("arguments").asText("");
          lastTool = key;
        }
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.get("finish_reason").asText();
        }
      }
      JsonNode u = chunk.hasNonNull("usage") ? chunk.get("usage") : chunk.path("x_groq").get("usage");
      if (u != null && !u.isNull()) {
        long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        usage = new Usage(u.get("prompt_tokens").asLong(), u.get("completion_tokens").asLong(),
            cached != 0 ? cached : u.path("prompt_cache_hit_tokens").asLong(0), 0,
            u.path("completion_tokens_details").path("reasoning_tokens").asLong(0), false);
      }
    }
    List<ContentPart.ToolCall> calls = tools.values().stream()
        .map(s -> new ContentPart.ToolCall(s[0], s[1], s[2].isEmpty() ? "{}" : s[2])).toList();
    return new Expected(id, model, text.toString(), thinking.toString(),
        refusal.length() > 0 ? refusal.toString() : null, finish, usage, calls);
  }

  /**
   * Serves {@code file} as a stream ({@code .jsonl} framed as SSE, plus {@code [DONE]} when
   * {@code done}), streams {@code request} through {@code provider} and returns every chunk.
   */
  public static List<ChatChunk> replay(MockWebServer server, ChatProvider provider, ChatRequest request,
      Path file, boolean done, String... headerNamesAndValues) {
    server.enqueue(MockResponses.sse(ConformanceFiles.asSse(file, done), headerNamesAndValues));
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(request, CallContext.standalone(true))) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }
    return chunks;
  }

  /** The chunks assembled as a blocking call would have answered. */
  public static ChatResponse assemble(List<ChatChunk> chunks) {
    return ChatStream.of(chunks).collect();
  }

  /** The text of the response's thinking parts, joined. */
  public static String thinkingOf(ChatResponse response) {
    return response.message().content().stream()
        .filter(p -> p instanceof ContentPart.Thinking)
        .map(p -> ((ContentPart.Thinking) p).text())
        .collect(Collectors.joining());
  }

  /** Whether every tool call's arguments parse as a JSON object. */
  public static boolean argumentsAreJsonObjects(ChatResponse response) {
    for (ContentPart.ToolCall call : response.toolCalls()) {
      if (!read(call.arguments()).isObject()) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

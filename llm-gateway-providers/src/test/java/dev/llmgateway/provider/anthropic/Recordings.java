package dev.llmgateway.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;
import org.jspecify.annotations.Nullable;

/**
 * Reads the recorded Anthropic payloads of {@code conformance.dir}/anthropic and derives, independently
 * of the adapter's code, what a correct adapter must make of them.
 */
final class Recordings {
  static final ObjectMapper JSON = new ObjectMapper();

  private Recordings() {}

  static Path dir() {
    String dir = System.getProperty("conformance.dir");
    assertThat(dir).as("system property conformance.dir (set by surefire)").isNotNull();
    Path path = Path.of(dir, "anthropic");
    assertThat(path).isDirectory();
    return path;
  }

  static String text(String file) {
    try {
      return Files.readString(dir().resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String file) {
    return parse(text(file));
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code .jsonl} recording as SSE: {@code event: <type>}, {@code data: <line>}, a blank line. */
  static String jsonlAsSse(String file) {
    StringBuilder sse = new StringBuilder();
    for (String line : text(file).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      sse.append("event: ").append(parse(line).get("type").asText()).append('\n')
          .append("data: ").append(line).append("\n\n");
    }
    return sse.toString();
  }

  /** The body of a stream recording, as it goes on the wire. */
  static String sseBody(String file) {
    return file.endsWith(".jsonl") ? jsonlAsSse(file) : text(file);
  }

  /** The JSON payloads of the {@code data:} lines of an SSE body, in order (the test's own reading). */
  static List<JsonNode> sseEvents(String body) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : body.split("\r?\n")) {
      if (line.startsWith("data:")) {
        events.add(parse(line.substring(5).trim()));
      }
    }
    return events;
  }

  /** The files of the directory. */
  static Set<String> files() {
    try (var stream = Files.list(dir())) {
      return new java.util.TreeSet<>(stream.map(p -> p.getFileName().toString()).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The recorded response of an exchange as a mock response, with its headers (minus framing ones). */
  static MockResponse mockResponse(JsonNode exchange) {
    JsonNode response = exchange.get("response");
    MockResponse.Builder mock = new MockResponse.Builder().code(response.get("status_code").asInt());
    Iterator<Map.Entry<String, JsonNode>> headers = response.get("headers").fields();
    while (headers.hasNext()) {
      Map.Entry<String, JsonNode> h = headers.next();
      String name = h.getKey().toLowerCase();
      if (!name.equals("content-length") && !name.equals("connection")
          && !name.equals("transfer-encoding")) {
        mock.addHeader(h.getKey(), h.getValue().asText());
      }
    }
    JsonNode body = response.get("body");
    mock.body(body.isTextual() ? body.asText() : body.toString());
    return mock.build();
  }

  /** What a stream recording says, read without the adapter's code. */
  record Expected(@Nullable String id, @Nullable String model, String text, String thinking,
      @Nullable String signature, Map<Integer, Tool> tools, @Nullable String stopReason,
      long inputTokens, long cacheCreation, long cacheRead, long outputTokens) {

    long totalInput() {
      return inputTokens + cacheCreation + cacheRead;
    }
  }

  /** A recorded tool_use: id and name from its start, input as the concatenated partial_json. */
  record Tool(String id, String name, String input) {}

  static Expected expectedFromStream(List<JsonNode> events) {
    String id = null;
    String model = null;
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    String signature = null;
    Map<Integer, String[]> tools = new LinkedHashMap<>();
    Map<Integer, StringBuilder> inputs = new LinkedHashMap<>();
    String stop = null;
    Map<String, Long> usage = new LinkedHashMap<>();
    for (JsonNode e : events) {
      switch (e.get("type").asText()) {
        case "message_start" -> {
          id = e.at("/message/id").asText();
          model = e.at("/message/model").asText();
          putUsage(usage, e.at("/message/usage"));
        }
        case "content_block_start" -> {
          JsonNode block = e.get("content_block");
          if (block.get("type").asText().equals("tool_use")) {
            tools.put(e.get("index").asInt(),
                new String[] {block.get("id").asText(), block.get("name").asText()});
            inputs.put(e.get("index").asInt(), new StringBuilder());
          }
        }
        case "content_block_delta" -> {
          JsonNode d = e.get("delta");
          switch (d.get("type").asText()) {
            case "text_delta" -> text.append(d.get("text").asText());
            case "thinking_delta" -> thinking.append(d.get("thinking").asText());
            case "signature_delta" -> signature = d.get("signature").asText();
            case "input_json_delta" ->
                inputs.get(e.get("index").asInt()).append(d.get("partial_json").asText());
            default -> { }
          }
        }
        case "message_delta" -> {
          if (e.at("/delta/stop_reason").isTextual()) {
            stop = e.at("/delta/stop_reason").asText();
          }
          putUsage(usage, e.get("usage"));
        }
        default -> { }
      }
    }
    Map<Integer, Tool> toolMap = new LinkedHashMap<>();
    tools.forEach((index, t) -> toolMap.put(index, new Tool(t[0], t[1], inputs.get(index).toString())));
    return new Expected(id, model, text.toString(), thinking.toString(), signature, toolMap, stop,
        usage.getOrDefault("input_tokens", 0L), usage.getOrDefault("cache_creation_input_tokens", 0L),
        usage.getOrDefault("cache_read_input_tokens", 0L), usage.getOrDefault("output_tokens", 0L));
  }

  private static void putUsage(Map<String, Long> usage, @Nullable JsonNode u) {
    if (u == null || !u.isObject()) {
      return;
    }
    for (String field : List.of("input_tokens", "cache_creation_input_tokens",
        "cache_read_input_tokens", "output_tokens")) {
      if (u.get(field) != null && u.get(field).isNumber()) {
        usage.put(field, u.get(field).asLong());
      }
    }
  }
}

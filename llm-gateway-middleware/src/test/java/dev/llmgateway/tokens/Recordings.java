package dev.llmgateway.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the recorded provider payloads under {@code ../shared/conformance} (the {@code conformance.dir}
 * system property surefire sets) for the accounting tests.
 */
public final class Recordings {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Recordings() {}

  public static Path file(String relative) {
    String dir = System.getProperty("conformance.dir");
    if (dir == null) {
      throw new IllegalStateException("the system property conformance.dir is not set (run through Maven)");
    }
    return Path.of(dir).resolve(relative);
  }

  /** A {@code .json} file. */
  public static JsonNode json(String relative) {
    try {
      return MAPPER.readTree(Files.readString(file(relative), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON payloads of a {@code .sse}, {@code .jsonl} or {@code .ndjson} file, or of an SSE body. */
  public static List<JsonNode> events(String relative) {
    try {
      return eventsOf(Files.readString(file(relative), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON payloads in {@code body}: one per line, with or without an SSE {@code data:} prefix. */
  public static List<JsonNode> eventsOf(String body) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : body.split("\n")) {
      String payload = line.strip();
      if (payload.startsWith("data:")) {
        payload = payload.substring(5).strip();
      }
      if (payload.startsWith("{")) {
        try {
          events.add(MAPPER.readTree(payload));
        } catch (IOException e) {
          throw new UncheckedIOException("bad JSON line: " + payload, e);
        }
      }
    }
    return events;
  }

  /** The {@code prompt_tokens} of the last OpenAI chunk that carries usage. */
  public static long openAiPromptTokens(String relative) {
    long prompt = -1;
    for (JsonNode event : events(relative)) {
      JsonNode usage = event.get("usage");
      if (usage != null && usage.isObject()) {
        prompt = usage.get("prompt_tokens").asLong();
      }
    }
    if (prompt < 0) {
      throw new IllegalStateException(relative + " carries no usage");
    }
    return prompt;
  }
}

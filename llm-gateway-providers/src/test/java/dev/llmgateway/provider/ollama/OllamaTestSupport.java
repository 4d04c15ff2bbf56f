package dev.llmgateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import okio.Buffer;

/** Shared fixtures for the Ollama adapter tests. */
final class OllamaTestSupport {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private OllamaTestSupport() {}

  static ChatRequest simple() {
    return ChatRequest.builder().model("llama3.2").user("Say hi").build();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .build();
  }

  static MockResponse ndjson(String body) {
    return ndjson(body.getBytes(StandardCharsets.UTF_8));
  }

  static MockResponse ndjson(byte[] body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/x-ndjson")
        .body(new Buffer().write(body))
        .build();
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A streamed line with message content. */
  static String line(String content) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2024-07-02T11:45:16Z\",\"message\":{\"role\":"
        + "\"assistant\",\"content\":" + quote(content) + "},\"done\":false}\n";
  }

  static String doneLine(String reason, int prompt, int eval) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2024-07-02T11:45:17Z\",\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"\"},\"done_reason\":\"" + reason + "\",\"done\":true,"
        + "\"total_duration\":100,\"prompt_eval_count\":" + prompt + ",\"eval_count\":" + eval + "}\n";
  }

  static String answer(String content, String reason) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2024-10-16T11:08:38Z\",\"message\":{\"role\":"
        + "\"assistant\",\"content\":" + quote(content) + "},\"done_reason\":\"" + reason
        + "\",\"done\":true,\"prompt_eval_count\":7,\"eval_count\":3}";
  }

  static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

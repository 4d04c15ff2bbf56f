package dev.llmgateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.provider.ConformanceFiles;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okio.Buffer;

/** Shared fixtures for the Responses adapter tests. */
final class OpenAiResponsesTestSupport {
  static final String API_KEY = "sk-test-RESPONSES-KEY-MUST-NEVER-LEAK-0123456789";
  static final String REQUEST_ID = "req_responses_0123456789";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private OpenAiResponsesTestSupport() {}

  static OpenAiResponsesChatProvider.Builder providerFor(MockWebServer server, OkHttpClient client) {
    return OpenAiResponsesChatProvider.builder()
        .baseUrl(server.url("/v1").toString())
        .apiKey(Secret.of(API_KEY))
        .httpClient(client);
  }

  static ChatRequest simpleRequest() {
    return ChatRequest.builder().model("o3-mini").user("Say hi").build();
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One SSE event as the Responses API frames it: {@code event: <type>} (taken from the payload's
   * {@code type}), then {@code data: <payload>}, then a blank line.
   */
  static String event(String payload) {
    return "event: " + json(payload).path("type").asText() + "\ndata: " + payload + "\n\n";
  }

  /** The events of {@code payloads}, framed with {@link #event}. */
  static String events(List<String> payloads) {
    StringBuilder sb = new StringBuilder();
    payloads.forEach(p -> sb.append(event(p)));
    return sb.toString();
  }

  /**
   * The recorded responses of a {@code .jsonl} recording, one list of event lines per response: the Vercel
   * recorder stores every step of a multi-step call in one file, each step starting with
   * {@code response.created}.
   */
  static List<List<String>> recordedResponses(Path jsonl) {
    List<List<String>> responses = new ArrayList<>();
    for (String line : ConformanceFiles.jsonLines(jsonl)) {
      if (responses.isEmpty() || "response.created".equals(json(line).path("type").asText())) {
        responses.add(new ArrayList<>());
      }
      responses.get(responses.size() - 1).add(line);
    }
    return responses;
  }

  static MockResponse sse(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "text/event-stream")
        .addHeader("x-request-id", REQUEST_ID)
        .body(new Buffer().write(body.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  static MockResponse json(int code, String body, String... headerNamesAndValues) {
    MockResponse.Builder b = new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", REQUEST_ID)
        .body(body);
    for (int i = 0; i < headerNamesAndValues.length; i += 2) {
      b.addHeader(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
    }
    return b.build();
  }

  static String created(String id, String model) {
    return "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"" + id
        + "\",\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"" + model
        + "\",\"output\":[],\"usage\":null}}";
  }

  static String textDelta(int outputIndex, String delta) {
    return "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":" + outputIndex
        + ",\"content_index\":0,\"delta\":" + quote(delta) + "}";
  }

  /** A response object with the given status, incomplete reason (or null), output and some usage. */
  static String responseJson(String status, String incompleteReason, String output) {
    return "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"" + status
        + "\",\"model\":\"o3-mini\",\"incomplete_details\":"
        + (incompleteReason == null ? "null" : "{\"reason\":\"" + incompleteReason + "\"}")
        + ",\"output\":" + output + ",\"usage\":{\"input_tokens\":10,\"input_tokens_details\":"
        + "{\"cached_tokens\":4},\"output_tokens\":7,\"output_tokens_details\":{\"reasoning_tokens\":3},"
        + "\"total_tokens\":17}}";
  }

  /** A terminal event of {@code type} holding {@link #responseJson}. */
  static String terminal(String type, String status, String incompleteReason, String output) {
    return "{\"type\":\"" + type + "\",\"response\":" + responseJson(status, incompleteReason, output)
        + "}";
  }

  static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.llmgateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.testkit.internal.OpenAiJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request {@link FakeLlmServer} received, kept so a test can check what its application sent: the
 * path, the headers, the body as text and as parsed JSON, and the few fields most tests look at.
 *
 * <pre>{@code
 * CapturedRequest sent = server.takeRequest();
 * assertThat(sent.header("authorization")).isEqualTo("Bearer test-key");
 * assertThat(sent.model()).isEqualTo("gpt-4o-mini");
 * assertThat(sent.stream()).isTrue();
 * assertThat(sent.json().at("/messages/0/role").asText()).isEqualTo("system");
 * }</pre>
 *
 * @param sequence the request's number on this server, from 1; the response to it has the id
 *     {@code chatcmpl-fake-<sequence>} and the header {@code x-request-id: req_fake_<sequence>}
 * @param method the HTTP method
 * @param path the path, without the query
 * @param headers the headers, names in lower case, values in the order received
 * @param body the body as UTF-8 text, empty when there was none
 * @param json the body parsed as JSON; a {@link com.fasterxml.jackson.databind.node.MissingNode MissingNode}
 *     when it is empty or not JSON. Each call returns a fresh copy
 */
public record CapturedRequest(long sequence, String method, String path, Map<String, List<String>> headers,
    String body, JsonNode json) {

  public CapturedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(json, "json");
    Map<String, List<String>> lowerCase = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers").forEach((name, values) -> lowerCase
        .computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>())
        .addAll(values));
    lowerCase.replaceAll((name, values) -> List.copyOf(values));
    headers = Map.copyOf(lowerCase);
    json = json.deepCopy();
  }

  /** A copy of the parsed body, so that no test can change what another one sees. */
  @Override
  public JsonNode json() {
    return json.deepCopy();
  }

  /** The first value of the header {@code name} (any case), or null. */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body's {@code model}, or null when it has none. */
  public @Nullable String model() {
    JsonNode model = json.get("model");
    return model != null && model.isTextual() ? model.asText() : null;
  }

  /** Whether the body asks for a stream ({@code "stream": true}). */
  public boolean stream() {
    return json.path("stream").asBoolean(false);
  }

  /** Whether the body asks for a final usage chunk ({@code "stream_options": {"include_usage": true}}). */
  public boolean includeUsage() {
    return json.path("stream_options").path("include_usage").asBoolean(false);
  }

  /** Whether this is a call to the Chat Completions endpoint. */
  public boolean isChatCompletion() {
    return path.endsWith("/chat/completions");
  }

  /**
   * The text of the last {@code user} message, its text parts joined when the content is an array of parts,
   * or null when there is no user message.
   */
  public @Nullable String lastUserMessage() {
    JsonNode messages = json.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        return OpenAiJson.textOf(message.path("content"));
      }
    }
    return null;
  }
}

package dev.llmgateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/** A bare OkHttp client speaking just enough OpenAI to check the fake server's wire format. */
final class RawOpenAiClient implements AutoCloseable {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");

  // No silent retry: a scripted connection fault must reach the test.
  private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private final FakeLlmServer server;

  RawOpenAiClient(FakeLlmServer server) {
    this.server = server;
  }

  /** A chat request body with one user message. */
  static ObjectNode chatBody(String model, String userMessage) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are terse.");
    messages.addObject().put("role", "user").put("content", userMessage);
    return body;
  }

  static ObjectNode streamBody(String model, String userMessage, boolean includeUsage) {
    ObjectNode body = chatBody(model, userMessage);
    body.put("stream", true);
    if (includeUsage) {
      body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  Response post(String json) throws IOException {
    Request request = new Request.Builder()
        .url(server.chatCompletionsUrl())
        .header("Authorization", "Bearer sk-test")
        .post(RequestBody.create(json, JSON))
        .build();
    return client.newCall(request).execute();
  }

  Response get(String path) throws IOException {
    return client.newCall(new Request.Builder().url(server.baseUrl() + path).build()).execute();
  }

  /** Posts a blocking request and parses the answer, whatever its status. */
  JsonNode chat(JsonNode body) {
    try (Response response = post(body.toString())) {
      return MAPPER.readTree(response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of a blocking answer. */
  String ask(String userMessage) {
    return chat(chatBody("gpt-4o-mini", userMessage)).at("/choices/0/message/content").asText();
  }

  /** Posts a streaming request and returns the payload of every {@code data:} line, {@code [DONE]} included. */
  List<String> streamData(JsonNode body) throws IOException {
    try (Response response = post(body.toString())) {
      return readData(response.body().source(), new ArrayList<>());
    }
  }

  /** Reads {@code data:} payloads into {@code sink} until the end of the body. */
  static List<String> readData(BufferedSource source, List<String> sink) throws IOException {
    for (String line = source.readUtf8Line(); line != null; line = source.readUtf8Line()) {
      if (line.startsWith("data: ")) {
        sink.add(line.substring("data: ".length()));
      }
    }
    return sink;
  }

  /** Parses every payload but {@code [DONE]}. */
  static List<JsonNode> chunks(List<String> data) throws IOException {
    List<JsonNode> chunks = new ArrayList<>();
    for (String payload : data) {
      if (!payload.equals("[DONE]")) {
        chunks.add(MAPPER.readTree(payload));
      }
    }
    return chunks;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}

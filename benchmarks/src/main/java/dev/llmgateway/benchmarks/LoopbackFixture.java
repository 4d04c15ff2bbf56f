package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * What every benchmark shares: a {@link FakeLlmServer} on loopback that always gives the same answer
 * ({@link #ANSWER} unless a benchmark chooses its own), and one OkHttp client whose dispatcher and pool
 * limits are the same for the baseline and for the gateway (the gateway is handed this very client).
 */
final class LoopbackFixture implements AutoCloseable {
  /** The answer the server gives to every call: about 60 words, the size of a short chat reply. */
  static final String ANSWER = ("The quick brown fox jumps over the lazy dog. ").repeat(6).strip();
  static final int MAX_REQUESTS = 64;
  static final int MAX_IDLE_CONNECTIONS = 8;
  private static final MediaType JSON = MediaType.get("application/json");

  final FakeLlmServer server;
  final OkHttpClient httpClient;
  final ObjectMapper objectMapper = new ObjectMapper();

  LoopbackFixture() {
    this(ANSWER);
  }

  /** A fixture whose server answers every call with {@code answer} as the assistant's text. */
  LoopbackFixture(String answer) {
    server = FakeLlmServer.builder().recordLimit(1).defaultReply(request -> FakeReply.text(answer)).start();
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(MAX_REQUESTS);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
    httpClient = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 5, TimeUnit.MINUTES))
        .retryOnConnectionFailure(false)
        .readTimeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * A raw baseline call: build a Chat Completions body for {@code model} with a system and a user
   * message and {@code max_tokens}, POST it with OkHttp, parse the answer with Jackson, take its text.
   */
  String rawChat(String model, String system, String user, int maxTokens) throws IOException {
    ObjectNode body = objectMapper.createObjectNode();
    body.put("model", model);
    body.put("max_tokens", maxTokens);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", system);
    messages.addObject().put("role", "user").put("content", user);
    Request http = new Request.Builder().url(server.chatCompletionsUrl())
        .post(RequestBody.create(objectMapper.writeValueAsBytes(body), JSON)).build();
    try (Response response = httpClient.newCall(http).execute()) {
      JsonNode json = objectMapper.readTree(response.body().byteStream());
      return json.path("choices").path(0).path("message").path("content").asText();
    }
  }

  @Override
  public void close() {
    httpClient.dispatcher().executorService().shutdown();
    httpClient.connectionPool().evictAll();
    server.close();
  }
}

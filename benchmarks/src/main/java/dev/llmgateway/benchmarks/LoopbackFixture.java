package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * What every benchmark shares: a {@link FakeLlmServer} on loopback that always gives the same answer,
 * and one OkHttp client whose dispatcher and pool limits are the same for the baseline and for the
 * gateway (the gateway is handed this very client).
 */
final class LoopbackFixture implements AutoCloseable {
  /** The answer the server gives to every call: about 60 words, the size of a short chat reply. */
  static final String ANSWER = ("The quick brown fox jumps over the lazy dog. ").repeat(6).strip();
  static final int MAX_REQUESTS = 64;
  static final int MAX_IDLE_CONNECTIONS = 8;

  final FakeLlmServer server;
  final OkHttpClient httpClient;
  final ObjectMapper objectMapper = new ObjectMapper();

  LoopbackFixture() {
    server = FakeLlmServer.builder().recordLimit(1).defaultReply(request -> FakeReply.text(ANSWER)).start();
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

  @Override
  public void close() {
    httpClient.dispatcher().executorService().shutdown();
    httpClient.connectionPool().evictAll();
    server.close();
  }
}

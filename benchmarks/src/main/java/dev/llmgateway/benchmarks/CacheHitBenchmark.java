package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.cache.CacheInterceptor;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a cache hit costs: a blocking chat call with a 1 KB prompt answered from the exact cache through
 * {@link LlmGateway} (canonical serialization and SHA-256 of the request included, on every call),
 * against the same call made uncached with raw OkHttp to the loopback server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheHitBenchmark {
  private static final MediaType JSON = MediaType.get("application/json");
  /** About 1 KB of prompt text. */
  static final String PROMPT = ("Summarize the following notes about foxes, keeping every number. "
      + "Red foxes live on every continent except Antarctica and weigh 2.2 to 14 kg. ").repeat(8)
      .substring(0, 1024);

  private LoopbackFixture fixture;
  private LlmGateway gateway;
  private ChatRequest request;
  private String url;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = new LoopbackFixture();
    url = fixture.server.chatCompletionsUrl();
    gateway = LlmGateway.builder()
        .discoverProviders(false)
        .logging(false)
        .sharedResource(OkHttpClient.class, fixture.httpClient)
        .provider(OpenAiChatProvider.builder().baseUrl(fixture.server.baseUrl())
            .httpClient(fixture.httpClient).objectMapper(fixture.objectMapper).build())
        .addInterceptor(CacheInterceptor.create())
        .build();
    request = ChatRequest.builder().model("openai/fake-model").temperature(0.0)
        .system("You are a helpful assistant.").user(PROMPT).build();
    gateway.chat(request); // the one miss; every measured call hits
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    fixture.close();
  }

  /** The baseline: the uncached call with raw OkHttp: build the JSON body, POST it, parse, take the text. */
  @Benchmark
  public String baselineRawOkHttp() throws IOException {
    ObjectNode body = fixture.objectMapper.createObjectNode();
    body.put("model", "fake-model");
    body.put("temperature", 0.0);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
    messages.addObject().put("role", "user").put("content", PROMPT);
    Request http = new Request.Builder().url(url)
        .post(RequestBody.create(fixture.objectMapper.writeValueAsBytes(body), JSON)).build();
    try (Response response = fixture.httpClient.newCall(http).execute()) {
      JsonNode json = fixture.objectMapper.readTree(response.body().byteStream());
      return json.path("choices").path(0).path("message").path("content").asText();
    }
  }

  /** The same request answered from the exact cache through the gateway, key building included. */
  @Benchmark
  public String gatewayCacheHit() {
    return gateway.chat(request).text();
  }
}

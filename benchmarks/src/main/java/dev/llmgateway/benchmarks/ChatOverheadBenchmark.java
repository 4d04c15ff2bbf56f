package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ChatRequest;
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
 * What the gateway costs on top of the HTTP call it makes: a blocking chat call through
 * {@code ChatClient} with no interceptors, against the same call made with raw OkHttp and parsed with
 * Jackson. Both talk to the same loopback server through the same OkHttp client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChatOverheadBenchmark {
  private static final MediaType JSON = MediaType.get("application/json");

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
        .sharedResource(OkHttpClient.class, fixture.httpClient)
        .provider(OpenAiChatProvider.builder().baseUrl(fixture.server.baseUrl())
            .httpClient(fixture.httpClient).objectMapper(fixture.objectMapper).build())
        .build();
    request = ChatRequest.builder().model("openai/fake-model")
        .system("You are a helpful assistant.").user("Tell me about foxes.").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    fixture.close();
  }

  /** The baseline: build the JSON body, POST it, parse the answer, take its text. */
  @Benchmark
  public String baselineRawOkHttp() throws IOException {
    ObjectNode body = fixture.objectMapper.createObjectNode();
    body.put("model", "fake-model");
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
    messages.addObject().put("role", "user").put("content", "Tell me about foxes.");
    Request http = new Request.Builder().url(url)
        .post(RequestBody.create(fixture.objectMapper.writeValueAsBytes(body), JSON)).build();
    try (Response response = fixture.httpClient.newCall(http).execute()) {
      JsonNode json = fixture.objectMapper.readTree(response.body().byteStream());
      return json.path("choices").path(0).path("message").path("content").asText();
    }
  }

  /** The same call through the gateway, with no interceptors. */
  @Benchmark
  public String gatewayChat() {
    return gateway.chat(request).text();
  }
}

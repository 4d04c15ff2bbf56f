package dev.llmgateway.prompt.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.prompt.function.PromptFunction;
import dev.llmgateway.prompt.http.SentimentFunction.Label;
import dev.llmgateway.prompt.http.SentimentFunction.Review;
import dev.llmgateway.prompt.http.SentimentFunction.Sentiment;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.testkit.CapturedRequest;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real HTTP calls, with {@link HttpClient}, to a {@link FunctionServer} serving the sentiment function,
 * with the gateway's whole pipeline behind it: {@link LlmGateway} over the OpenAI adapter over a
 * {@link FakeLlmServer}.
 */
class FunctionServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeLlmServer llm;
  private OpenAiChatProvider openAi;
  private LlmGateway gateway;
  private PromptFunction<Review, Sentiment> sentiment;
  private FunctionServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void start() {
    llm = FakeLlmServer.start();
    openAi = OpenAiChatProvider.builder().baseUrl(llm.baseUrl()).apiKey(Secret.of("sk-test-function-key"))
        .build();
    gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(openAi).build();
    sentiment = SentimentFunction.create(gateway);
    server = FunctionEndpoint.of(sentiment).serve(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    server.close();
    gateway.close();
    openAi.close();
    llm.close();
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .header("X-Tenant", "acme")
        .header("X-User", "user-42")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type) throws IOException {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).isEqualTo("urn:llm-gateway:problem:" + type);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.has("title")).isTrue();
    assertThat(problem.has("detail")).isTrue();
    assertThat(response.body()).doesNotContain("sk-test-function-key");
  }

  @Test
  void servesTheFunctionThroughTheWholeGateway() throws Exception {
    llm.enqueue(FakeReply.text("{\"label\":\"POSITIVE\",\"confidence\":0.91}"));

    HttpResponse<String> response = post("/functions/sentiment", "{\"text\":\"Great value, would buy again\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.headers().firstValue("X-Prompt")).contains("sentiment@1");
    assertThat(JSON.treeToValue(json(response), Sentiment.class)).isEqualTo(new Sentiment(Label.POSITIVE, 0.91));
    CapturedRequest sent = llm.takeRequest();
    assertThat(sent.model()).isEqualTo("gpt-4o-mini");
    assertThat(sent.lastUserMessage()).isEqualTo("Great value, would buy again");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test-function-key");
    JsonNode format = sent.json().get("response_format");
    assertThat(format.get("type").asText()).isEqualTo("json_schema");
    assertThat(format.get("json_schema").get("name").asText()).isEqualTo("sentiment");
    assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
    assertThat(format.get("json_schema").get("schema")).isEqualTo(sentiment.outputSchema().node());
    assertThat(sent.json().get("user").asText()).as("the X-User header").isEqualTo("user-42");
  }

  @Test
  void aBadRequestIsAProblemAndNeverReachesTheModel() throws Exception {
    HttpResponse<String> missing = post("/functions/sentiment", "{\"review\":\"forgot the field name\"}");
    HttpResponse<String> broken = post("/functions/sentiment", "{\"text\":");

    assertProblem(missing, 400, "invalid-input");
    assertThat(json(missing).get("errors")).extracting(JsonNode::asText)
        .containsExactly("/text: required property is missing", "/review: unknown property");
    assertThat(json(missing).get("function").asText()).isEqualTo("sentiment");
    assertProblem(broken, 400, "invalid-json");
    assertThat(llm.requestCount()).isZero();
  }

  @Test
  void anUnknownFunctionIsNotFound() throws Exception {
    HttpResponse<String> response = post("/functions/summarize", "{\"text\":\"x\"}");

    assertProblem(response, 404, "not-found");
    assertThat(json(response).get("instance").asText()).isEqualTo("/functions/summarize");
  }

  @Test
  void aProviderFailureIsABadGateway() throws Exception {
    llm.enqueue(FakeReply.serverError(500));

    HttpResponse<String> response = post("/functions/sentiment", "{\"text\":\"hello\"}");

    assertProblem(response, 502, "provider-error");
    assertThat(json(response).get("detail").asText()).isEqualTo("the model provider failed to answer");
    assertThat(llm.requestCount()).isEqualTo(1);
  }

  @Test
  void aProviderRateLimitIsTooManyRequestsWithRetryAfter() throws Exception {
    llm.enqueue(FakeReply.rateLimited(Duration.ofSeconds(7)));

    HttpResponse<String> response = post("/functions/sentiment", "{\"text\":\"hello\"}");

    assertProblem(response, 429, "rate-limited");
    assertThat(response.headers().firstValue("Retry-After")).contains("7");
  }

  @Test
  void anAnswerThatDoesNotFitTheRecordIsABadGateway() throws Exception {
    llm.enqueue(FakeReply.text("Sure! The sentiment is positive."));

    HttpResponse<String> response = post("/functions/sentiment", "{\"text\":\"hello\"}");

    assertProblem(response, 502, "invalid-output");
    assertThat(response.body()).doesNotContain("Sure!");
  }

  @Test
  void anotherMethodIsNotAllowedAndTheListingIsServed() throws Exception {
    HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/functions/sentiment")).DELETE());
    HttpResponse<String> listing = send(HttpRequest.newBuilder(uri("/functions")).GET());

    assertProblem(delete, 405, "method-not-allowed");
    assertThat(delete.headers().firstValue("Allow")).contains("GET, HEAD, POST");
    assertThat(listing.statusCode()).isEqualTo(200);
    assertThat(json(listing).get("functions").get(0).get("output"))
        .isEqualTo(sentiment.outputSchema().node());
  }

  @Test
  void aBodyOverTheLimitIsRefusedUnread() throws Exception {
    try (FunctionServer small = FunctionEndpoint.builder().function(sentiment).maxRequestBytes(64).build()
        .serve(new InetSocketAddress("127.0.0.1", 0))) {
      String big = "{\"text\":\"" + "a".repeat(10_000) + "\"}";

      HttpResponse<String> response = send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + small.port() + "/functions/sentiment"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(big)));

      assertProblem(response, 413, "payload-too-large");
      assertThat(llm.requestCount()).isZero();
    }
  }

  @Test
  void runsOnTheHostsExecutorAndLeavesItRunning() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      FunctionServer hosted = FunctionEndpoint.of(sentiment).serve(new InetSocketAddress("127.0.0.1", 0), executor);
      llm.enqueue(FakeReply.text("{\"label\":\"NEUTRAL\",\"confidence\":0.5}"));

      HttpResponse<String> response = send(HttpRequest.newBuilder(
              URI.create(hosted.uri() + "/sentiment"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"ok\"}")));
      hosted.close();
      hosted.close();

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(hosted.uri().toString()).endsWith("/functions");
      assertThat(executor.isShutdown()).isFalse();
    } finally {
      executor.shutdownNow();
    }
  }
}

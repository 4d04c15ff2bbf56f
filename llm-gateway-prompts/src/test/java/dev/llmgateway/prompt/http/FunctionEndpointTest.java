package dev.llmgateway.prompt.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.BudgetExceededException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StateStoreUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.prompt.function.PromptFunction;
import dev.llmgateway.prompt.http.SentimentFunction.Review;
import dev.llmgateway.prompt.http.SentimentFunction.Sentiment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The endpoint's host-agnostic core, {@link FunctionEndpoint#handle}, without any HTTP server. */
class FunctionEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, List<String>> JSON_HEADERS =
      Map.of("content-type", List.of("application/json; charset=utf-8"));

  private final StubChatClient client = new StubChatClient();
  private final PromptFunction<Review, Sentiment> sentiment = SentimentFunction.create(client);
  private final FunctionEndpoint endpoint = FunctionEndpoint.of(sentiment);

  private FunctionHttpResponse post(String path, String body) {
    return endpoint.handle("POST", path, JSON_HEADERS, body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(FunctionHttpResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertProblem(FunctionHttpResponse response, int status, String type) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo(FunctionEndpoint.PROBLEM_JSON);
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).isEqualTo(FunctionEndpoint.DEFAULT_PROBLEM_TYPE_PREFIX + type);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    assertThat(problem.get("instance").asText()).startsWith("/");
  }

  @Test
  void buildsWithTheDocumentedDefaults() {
    assertThat(endpoint.basePath()).isEqualTo(FunctionEndpoint.DEFAULT_BASE_PATH).isEqualTo("/functions");
    assertThat(endpoint.maxRequestBytes()).isEqualTo(FunctionEndpoint.DEFAULT_MAX_REQUEST_BYTES)
        .isEqualTo(1_048_576);
    assertThat(endpoint.tenantHeader()).isEqualTo(FunctionEndpoint.DEFAULT_TENANT_HEADER).isEqualTo("X-Tenant");
    assertThat(endpoint.userHeader()).isEqualTo(FunctionEndpoint.DEFAULT_USER_HEADER).isEqualTo("X-User");
    assertThat(endpoint.listing()).isEqualTo(FunctionEndpoint.DEFAULT_LISTING).isTrue();
    assertThat(endpoint.problemTypePrefix()).isEqualTo(FunctionEndpoint.DEFAULT_PROBLEM_TYPE_PREFIX)
        .isEqualTo("urn:llm-gateway:problem:");
    assertThat(endpoint.serverThreads()).isEqualTo(FunctionEndpoint.DEFAULT_SERVER_THREADS).isEqualTo(16);
    assertThat(endpoint.ioTimeout()).isEqualTo(FunctionEndpoint.DEFAULT_IO_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(endpoint.functions()).containsOnlyKeys("sentiment");
  }

  @Test
  void answersAPostWithTheOutputRecordAsJson() {
    FunctionHttpResponse response = post("/functions/sentiment", "{\"text\":\"Great value\"}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).isEqualTo("application/json");
    assertThat(response.header(FunctionEndpoint.HEADER_PROMPT)).isEqualTo("sentiment@1");
    assertThat(response.header(FunctionEndpoint.HEADER_VARIANT)).isNull();
    assertThat(response.bodyText()).isEqualTo("{\"label\":\"POSITIVE\",\"confidence\":0.9}");
    assertThat(client.requests.get(0).messages().get(1).text()).isEqualTo("Great value");
  }

  @Test
  void takesTenantAndUserFromTheConfiguredHeaders() {
    endpoint.handle("POST", "/functions/sentiment?trace=1",
        Map.of("X-TENANT", List.of("acme"), "x-user", List.of(" u-7 ")), "{\"text\":\"a\"}".getBytes());
    FunctionEndpoint custom = FunctionEndpoint.builder().function(sentiment)
        .tenantHeader("X-Org").userHeader(null).build();
    custom.handle("POST", "/functions/sentiment",
        Map.of("X-Org", List.of("initech"), "X-User", List.of("ignored")), "{\"text\":\"a\"}".getBytes());

    assertThat(client.requests.get(0).metadata().tenant()).isEqualTo("acme");
    assertThat(client.requests.get(0).metadata().user()).isEqualTo("u-7");
    assertThat(client.requests.get(1).metadata().tenant()).isEqualTo("initech");
    assertThat(client.requests.get(1).metadata().user()).isNull();
  }

  @Test
  void anEmptyBodyIsAnEmptyObject() {
    FunctionHttpResponse response = endpoint.handle("POST", "/functions/sentiment", Map.of(), new byte[0]);

    assertProblem(response, 400, "invalid-input");
    assertThat(json(response).get("errors").toString()).isEqualTo("[\"/text: required property is missing\"]");
  }

  @Test
  void anUnknownFunctionOrPathIsNotFound() {
    FunctionHttpResponse unknown = post("/functions/nope", "{}");
    FunctionHttpResponse elsewhere = post("/other", "{}");

    assertProblem(unknown, 404, "not-found");
    assertThat(json(unknown).get("function").asText()).isEqualTo("nope");
    assertThat(json(unknown).get("instance").asText()).isEqualTo("/functions/nope");
    assertProblem(elsewhere, 404, "not-found");
    assertThat(client.requests).isEmpty();
  }

  @Test
  void anotherMethodIsNotAllowedAndSaysWhichAre() {
    FunctionHttpResponse put = endpoint.handle("PUT", "/functions/sentiment", JSON_HEADERS, new byte[0]);
    FunctionHttpResponse postList = post("/functions", "{}");

    assertProblem(put, 405, "method-not-allowed");
    assertThat(put.header("Allow")).isEqualTo("GET, HEAD, POST");
    assertThat(json(put).get("function").asText()).isEqualTo("sentiment");
    assertProblem(postList, 405, "method-not-allowed");
    assertThat(postList.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void headAnswersWhatGetWouldWithoutTheBody() {
    FunctionHttpResponse getList = endpoint.handle("GET", "/functions", Map.of(), new byte[0]);
    FunctionHttpResponse headList = endpoint.handle("HEAD", "/functions", Map.of(), new byte[0]);
    FunctionHttpResponse getOne = endpoint.handle("GET", "/functions/sentiment", Map.of(), new byte[0]);
    FunctionHttpResponse headOne = endpoint.handle("HEAD", "/functions/sentiment", Map.of(), new byte[0]);
    FunctionHttpResponse headMissing = endpoint.handle("HEAD", "/functions/nope", Map.of(), new byte[0]);
    FunctionHttpResponse headQuiet = FunctionEndpoint.builder().function(sentiment).listing(false).build()
        .handle("HEAD", "/functions/sentiment", Map.of(), new byte[0]);

    assertThat(headList.status()).isEqualTo(200);
    assertThat(headList.body()).isEmpty();
    assertThat(headList.header("Content-Type")).isEqualTo("application/json");
    assertThat(headList.header("Content-Length")).isEqualTo(Integer.toString(getList.body().length));
    assertThat(headOne.status()).isEqualTo(200);
    assertThat(headOne.body()).isEmpty();
    assertThat(headOne.header("Content-Length")).isEqualTo(Integer.toString(getOne.body().length));
    assertThat(headMissing.status()).isEqualTo(404);
    assertThat(headMissing.body()).isEmpty();
    assertThat(headQuiet.status()).as("no GET, so no HEAD").isEqualTo(405);
    assertThat(headQuiet.header("Allow")).isEqualTo("POST");
    assertThat(client.requests).isEmpty();
  }

  @Test
  void listsTheFunctionsWithTheirSchemas() {
    JsonNode list = json(endpoint.handle("GET", "/functions", Map.of(), new byte[0]));
    FunctionHttpResponse one = endpoint.handle("GET", "/functions/sentiment", Map.of(), new byte[0]);

    JsonNode function = list.get("functions").get(0);
    assertThat(function.get("name").asText()).isEqualTo("sentiment");
    assertThat(function.get("description").asText()).isEqualTo("Classifies the sentiment of a product review.");
    assertThat(function.get("prompt").asText()).isEqualTo("sentiment");
    assertThat(function.get("path").asText()).isEqualTo("/functions/sentiment");
    assertThat(function.get("input")).isEqualTo(sentiment.inputSchema());
    assertThat(function.get("output")).isEqualTo(sentiment.outputSchema().node());
    assertThat(one.status()).isEqualTo(200);
    assertThat(json(one)).isEqualTo(function);
  }

  @Test
  void listingCanBeTurnedOff() {
    FunctionEndpoint quiet = FunctionEndpoint.builder().function(sentiment).listing(false).build();

    assertProblem(quiet.handle("GET", "/functions", Map.of(), new byte[0]), 404, "not-found");
    FunctionHttpResponse get = quiet.handle("GET", "/functions/sentiment", Map.of(), new byte[0]);
    assertProblem(get, 405, "method-not-allowed");
    assertThat(get.header("Allow")).isEqualTo("POST");
  }

  @Test
  void aBodyOverTheLimitIsTooLarge() {
    FunctionEndpoint small = FunctionEndpoint.builder().function(sentiment).maxRequestBytes(16).build();

    FunctionHttpResponse response = small.handle("POST", "/functions/sentiment", JSON_HEADERS,
        "{\"text\":\"more than sixteen bytes\"}".getBytes());

    assertProblem(response, 413, "payload-too-large");
    assertThat(client.requests).isEmpty();
  }

  @Test
  void aBodyThatIsNotJsonIsABadRequest() {
    FunctionHttpResponse notJson = post("/functions/sentiment", "{\"text\": nope}");
    FunctionHttpResponse trailing = post("/functions/sentiment", "{\"text\":\"a\"} {}");
    FunctionHttpResponse form = endpoint.handle("POST", "/functions/sentiment",
        Map.of("Content-Type", List.of("application/x-www-form-urlencoded")), "text=a".getBytes());
    FunctionHttpResponse problemJson = endpoint.handle("POST", "/functions/sentiment",
        Map.of("Content-Type", List.of("application/merge-patch+json")), "{\"text\":\"a\"}".getBytes());

    assertProblem(notJson, 400, "invalid-json");
    assertThat(json(notJson).get("detail").asText()).contains("line 1, column").doesNotContain("nope");
    assertProblem(trailing, 400, "invalid-json");
    assertProblem(form, 415, "unsupported-media-type");
    assertThat(problemJson.status()).as("any +json type is JSON").isEqualTo(200);
    assertThat(client.requests).hasSize(1);
  }

  @Test
  void aCharsetOtherThanUtf8IsAnUnsupportedMediaType() {
    byte[] latin1 = "{\"text\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    FunctionHttpResponse isoLatin = endpoint.handle("POST", "/functions/sentiment",
        Map.of("Content-Type", List.of("application/json; charset=ISO-8859-1")), latin1);
    FunctionHttpResponse utf16 = endpoint.handle("POST", "/functions/sentiment",
        Map.of("Content-Type", List.of("application/json;charset=\"utf-16\"")),
        "{\"text\":\"a\"}".getBytes(StandardCharsets.UTF_16));
    FunctionHttpResponse quotedUtf8 = endpoint.handle("POST", "/functions/sentiment",
        Map.of("Content-Type", List.of("application/json; charset=\"UTF-8\"")), "{\"text\":\"a\"}".getBytes());
    FunctionHttpResponse utf8 = endpoint.handle("POST", "/functions/sentiment",
        Map.of("Content-Type", List.of("application/json;CHARSET=utf8")), "{\"text\":\"b\"}".getBytes());

    assertProblem(isoLatin, 415, "unsupported-media-type");
    assertThat(json(isoLatin).get("detail").asText()).contains("UTF-8");
    assertProblem(utf16, 415, "unsupported-media-type");
    assertThat(quotedUtf8.status()).isEqualTo(200);
    assertThat(utf8.status()).isEqualTo(200);
    assertThat(client.requests).hasSize(2);
  }

  @Test
  void aBodyNotMatchingTheInputListsTheErrors() {
    FunctionHttpResponse response = post("/functions/sentiment", "{\"txt\":\"secret words\",\"text\":5}");

    assertProblem(response, 400, "invalid-input");
    JsonNode problem = json(response);
    assertThat(problem.get("function").asText()).isEqualTo("sentiment");
    assertThat(problem.get("errors")).extracting(JsonNode::asText)
        .containsExactly("/text: expected a string, found an integer", "/txt: unknown property");
    assertThat(response.bodyText()).doesNotContain("secret words");
  }

  @Test
  void anAnswerNotMatchingTheOutputIsABadGatewayWithoutTheAnswer() {
    client.answerWith(request -> StubChatClient.answer("{\"label\":\"ECSTATIC\",\"confidence\":2,"
        + "\"why\":\"model-secret\"}"));

    FunctionHttpResponse response = post("/functions/sentiment", "{\"text\":\"wow\"}");

    assertProblem(response, 502, "invalid-output");
    assertThat(json(response).get("errors")).extracting(JsonNode::asText).containsExactly(
        "/label: expected one of POSITIVE, NEGATIVE, NEUTRAL", "/why: unknown property");
    assertThat(response.bodyText()).doesNotContain("model-secret", "ECSTATIC");
  }

  static Stream<Arguments> failures() {
    ErrorContext openai = ErrorContext.of("openai", "gpt-4o-mini").withHttpStatus(500);
    LlmConfigurationException leaky = new LlmConfigurationException("api key sk-live-SECRET is wrong");
    return Stream.of(
        Arguments.of(new InvalidRequestException("temperature must be at most 2"), 400, "invalid-request"),
        Arguments.of(new InvalidRequestException("provider text sk-live-SECRET", openai, null), 502,
            "provider-error"),
        Arguments.of(new InvalidRequestException("bad sk-live-SECRET", ErrorContext.EMPTY,
            new IllegalArgumentException("library text sk-live-SECRET")), 400, "invalid-request"),
        Arguments.of(new ContextLengthExceededException("too long sk-live-SECRET", openai, null), 400,
            "context-length-exceeded"),
        Arguments.of(new GuardRefusedException("the input looks like a prompt injection"), 422, "guard-refused"),
        Arguments.of(new ContentFilteredException("filtered sk-live-SECRET", openai, null), 422,
            "content-filtered"),
        Arguments.of(new RateLimitedException("slow down sk-live-SECRET",
            openai.withRetryAfter(Duration.ofMillis(2500)), null), 429, "rate-limited"),
        Arguments.of(new BudgetExceededException("tenant acme spent sk-live-SECRET"), 429, "budget-exceeded"),
        Arguments.of(new ProviderUnavailableException("overloaded sk-live-SECRET", openai, null), 502,
            "provider-error"),
        Arguments.of(new AuthenticationException("bad key sk-live-SECRET", openai, null), 502, "provider-error"),
        Arguments.of(new MalformedResponseException("garbage sk-live-SECRET", openai, null), 502,
            "provider-error"),
        Arguments.of(new StreamInterruptedException("cut sk-live-SECRET", openai, null), 502, "provider-error"),
        Arguments.of(new StateStoreUnavailableException("redis down sk-live-SECRET", openai, null), 503,
            "unavailable"),
        Arguments.of(new CallCancelledException("cancelled sk-live-SECRET", openai, null), 503, "unavailable"),
        Arguments.of(new NoDeploymentAvailableException("all down sk-live-SECRET",
            ErrorContext.EMPTY.withRetryAfter(Duration.ofSeconds(30)), List.of()), 503, "no-deployment-available"),
        Arguments.of(new LlmTimeoutException("took too long sk-live-SECRET"), 504, "timeout"),
        Arguments.of(new UnsupportedFeatureException("no json schema sk-live-SECRET", openai, null), 500,
            "unsupported-feature"),
        Arguments.of(leaky, 500, "internal-error"),
        Arguments.of(new IllegalStateException("bug sk-live-SECRET"), 500, "internal-error"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void mapsEachFailureToItsStatusWithoutLeakingItsMessage(RuntimeException failure, int status, String type) {
    client.fail(failure);

    FunctionHttpResponse response = post("/functions/sentiment", "{\"text\":\"hello\"}");

    assertProblem(response, status, type);
    assertThat(json(response).get("function").asText()).isEqualTo("sentiment");
    assertThat(response.bodyText()).doesNotContain("SECRET", "openai", "gpt-4o-mini", "hello");
  }

  @Test
  void aProviderRefusingTheRequestIsABadGatewayButOurOwnChecksAreTheCallers() {
    ErrorContext anthropic = ErrorContext.of("anthropic", "claude-test").withHttpStatus(400);
    client.fail(new InvalidRequestException("messages: roles must alternate", anthropic, null));
    FunctionHttpResponse provider = post("/functions/sentiment", "{\"text\":\"x\"}");
    client.fail(new InvalidRequestException("temperature must be at most 2"));
    FunctionHttpResponse ours = post("/functions/sentiment", "{\"text\":\"x\"}");
    client.fail(new ContextLengthExceededException("prompt is too long", anthropic, null));
    FunctionHttpResponse tooLong = post("/functions/sentiment", "{\"text\":\"x\"}");

    assertProblem(provider, 502, "provider-error");
    assertThat(json(provider).get("detail").asText()).isEqualTo("the model provider rejected the request");
    assertThat(provider.bodyText()).doesNotContain("alternate", "anthropic");
    assertProblem(ours, 400, "invalid-request");
    assertThat(json(ours).get("detail").asText()).isEqualTo("temperature must be at most 2");
    assertProblem(tooLong, 400, "context-length-exceeded");
  }

  @Test
  void ourOwnChecksExplainThemselvesAndRetryAdviceBecomesAHeader() {
    client.fail(new InvalidRequestException("temperature must be at most 2"));
    FunctionHttpResponse invalid = post("/functions/sentiment", "{\"text\":\"x\"}");
    client.fail(new RateLimitedException("slow down", ErrorContext.EMPTY.withRetryAfter(Duration.ofMillis(2500)), null));
    FunctionHttpResponse limited = post("/functions/sentiment", "{\"text\":\"x\"}");
    client.fail(new NoDeploymentAvailableException("down", ErrorContext.EMPTY.withRetryAfter(Duration.ofSeconds(30)),
        List.of()));
    FunctionHttpResponse down = post("/functions/sentiment", "{\"text\":\"x\"}");

    assertThat(json(invalid).get("detail").asText()).isEqualTo("temperature must be at most 2");
    assertThat(limited.header("Retry-After")).as("rounded up to whole seconds").isEqualTo("3");
    assertThat(down.header("Retry-After")).isEqualTo("30");
  }

  @Test
  void aCustomBasePathAndProblemTypePrefixAreUsed() {
    FunctionEndpoint custom = FunctionEndpoint.builder().function(sentiment).basePath("/api/v1/ai")
        .problemTypePrefix("https://example.com/problems/").build();

    FunctionHttpResponse ok = custom.handle("POST", "/api/v1/ai/sentiment", JSON_HEADERS, "{\"text\":\"a\"}".getBytes());
    FunctionHttpResponse missing = custom.handle("POST", "/functions/sentiment", JSON_HEADERS, new byte[0]);

    assertThat(ok.status()).isEqualTo(200);
    assertThat(json(missing).get("type").asText()).isEqualTo("https://example.com/problems/not-found");
  }

  @Test
  void refusesAnInvalidConfiguration() {
    assertThatThrownBy(() -> FunctionEndpoint.builder().build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> FunctionEndpoint.of(sentiment, sentiment))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("'sentiment'");
    assertThatThrownBy(() -> FunctionEndpoint.builder().basePath("functions/"))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> FunctionEndpoint.builder().maxRequestBytes(0))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> FunctionEndpoint.builder().tenantHeader("X Tenant"))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> FunctionEndpoint.builder().problemTypePrefix("problems/"))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> FunctionEndpoint.builder().serverThreads(0))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> FunctionEndpoint.builder().ioTimeout(Duration.ZERO))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> FunctionEndpoint.builder().ioTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(LlmConfigurationException.class);
  }
}

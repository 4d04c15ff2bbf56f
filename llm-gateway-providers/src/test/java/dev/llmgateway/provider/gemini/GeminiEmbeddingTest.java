package dev.llmgateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.EmbeddingCalls;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import dev.llmgateway.spi.Secret;
import java.time.Duration;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gemini embeddings through {@code models/{model}:batchEmbedContents}. No recordings of embeddings exist
 * under the conformance directory; the bodies follow the Gemini API reference: request
 * {@code {requests: [{model, content: {parts: [{text}]}, outputDimensionality}]}}, answer
 * {@code {embeddings: [{values: [...]}]}} in request order.
 */
class GeminiEmbeddingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KEY = "AIzaSyTHIS-KEY-MUST-NEVER-LEAK-0123456789";
  private static final String PROMPT = "the board meets on tuesday about layoffs";

  @RegisterExtension final MockServer mock = new MockServer();
  private GeminiChatProvider provider;

  @BeforeEach
  void build() {
    provider = GeminiChatProvider.builder()
        .baseUrl(mock.server().url("/v1beta").toString())
        .apiKey(Secret.of(KEY))
        .httpClient(mock.client())
        .build();
  }

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void postsOneBatchEntryPerInputWithTheModelAndDimensions() throws Exception {
    mock.server().enqueue(MockResponses.json(200, """
        {"embeddings":[{"values":[0.1,0.2]},{"values":[0.3,0.4]}]}"""));

    provider.embed(new EmbeddingRequest("gemini-embedding-001", List.of("one", "two"), 2,
        RequestMetadata.EMPTY.withUser("u-1")), CallContext.standalone(false));

    RecordedRequest sent = mock.server().takeRequest();
    assertThat(sent.getUrl().encodedPath())
        .isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(sent.getUrl().querySize()).isZero();
    assertThat(sent.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(MAPPER.readTree(sent.getBody().utf8())).isEqualTo(MAPPER.readTree("""
        {"requests":[
          {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"one"}]},
           "outputDimensionality":2},
          {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"two"}]},
           "outputDimensionality":2}]}"""));
  }

  @Test
  void aModelPathIsUsedAsTheResourceNameAndNoDimensionsAreSentWhenNoneAreAsked() throws Exception {
    mock.server().enqueue(MockResponses.json(200, "{\"embeddings\":[{\"values\":[1.0]}]}"));

    provider.embed(EmbeddingRequest.of("tunedModels/my-embedder", "x"), CallContext.standalone(false));

    RecordedRequest sent = mock.server().takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1beta/tunedModels/my-embedder:batchEmbedContents");
    assertThat(MAPPER.readTree(sent.getBody().utf8())).isEqualTo(MAPPER.readTree("""
        {"requests":[{"model":"tunedModels/my-embedder","content":{"parts":[{"text":"x"}]}}]}"""));
  }

  @Test
  void readsTheVectorsInRequestOrderWithoutUsage() {
    mock.server().enqueue(MockResponses.json(200, """
        {"embeddings":[{"values":[0.5,-0.5,0.25]},{"values":[-1.0,0.0,1.0]}]}"""));

    EmbeddingResponse response = provider.embed(EmbeddingRequest.of("gemini-embedding-001",
        List.of("a", "b")), CallContext.standalone(false));

    assertThat(response.provider()).isEqualTo("gemini");
    assertThat(response.model()).isEqualTo("gemini-embedding-001");
    assertThat(response.embeddings().get(0).vector()).containsExactly(0.5f, -0.5f, 0.25f);
    assertThat(response.embeddings().get(1).vector()).containsExactly(-1.0f, 0.0f, 1.0f);
    assertThat(response.embeddings().get(1).dimensions()).isEqualTo(3);
    assertThat(response.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void readsUsageMetadataWhenPresent() {
    mock.server().enqueue(MockResponses.json(200, """
        {"embeddings":[{"values":[1.0]}],"usageMetadata":{"promptTokenCount":5}}"""));

    EmbeddingResponse response = provider.embed(EmbeddingRequest.of("gemini-embedding-001", "a"),
        CallContext.standalone(false));

    assertThat(response.usage()).isEqualTo(Usage.of(5, 0));
  }

  @Test
  void aShortAnswerIsMalformed() {
    mock.server().enqueue(MockResponses.json(200, "{\"embeddings\":[{\"values\":[1.0]}]}"));

    assertThat(catchThrowableOfType(MalformedResponseException.class,
        () -> provider.embed(EmbeddingRequest.of("gemini-embedding-001", List.of("a", "b")),
            CallContext.standalone(false))))
        .hasMessageContaining("1 embeddings for 2 inputs");
  }

  @Test
  void authenticationAndRateLimitErrorsMapWithTheRetryDelayAndNoKeyOrText() {
    mock.server().enqueue(MockResponses.json(401, """
        {"error":{"code":401,"message":"Request had invalid authentication credentials.",
         "status":"UNAUTHENTICATED"}}"""));
    mock.server().enqueue(MockResponses.json(400, """
        {"error":{"code":400,"message":"API key not valid. Please pass a valid API key. %s",
         "status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",
         "reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""".formatted(KEY)));
    mock.server().enqueue(MockResponses.json(429, """
        {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).",
         "status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo",
         "retryDelay":"20s"}]}}"""));
    EmbeddingRequest request = EmbeddingRequest.of("gemini-embedding-001", PROMPT);

    AuthenticationException unauthenticated = catchThrowableOfType(AuthenticationException.class,
        () -> provider.embed(request, CallContext.standalone(false)));
    AuthenticationException badKey = catchThrowableOfType(AuthenticationException.class,
        () -> provider.embed(request, CallContext.standalone(false)));
    RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
        () -> provider.embed(request, CallContext.standalone(false)));

    assertThat(unauthenticated.context().httpStatus()).isEqualTo(401);
    assertThat(limited.context().retryAfter()).isEqualTo(Duration.ofSeconds(20));
    SecretLeakAssertions.assertShowsNone("401", unauthenticated, KEY, PROMPT);
    SecretLeakAssertions.assertShowsNone("400 API_KEY_INVALID", badKey, KEY, PROMPT);
    SecretLeakAssertions.assertShowsNone("429", limited, KEY, PROMPT);
  }

  @Test
  void aModelWithoutEmbeddingsIsAnInvalidRequestNamingIt() {
    mock.server().enqueue(MockResponses.json(404, """
        {"error":{"code":404,"message":"models/gemini-2.5-flash is not found for API version v1beta, \
        or is not supported for batchEmbedContents.","status":"NOT_FOUND"}}"""));

    assertThat(catchThrowableOfType(InvalidRequestException.class,
        () -> provider.embed(EmbeddingRequest.of("gemini-2.5-flash", PROMPT), CallContext.standalone(false))))
        .hasMessageContaining("gemini-2.5-flash");
  }

  @Test
  void cancellingTheContextAbortsTheCall() throws Exception {
    EmbeddingCalls.assertCancellationAbortsTheCall(mock.server(), provider,
        EmbeddingRequest.of("gemini-embedding-001", PROMPT));
  }
}

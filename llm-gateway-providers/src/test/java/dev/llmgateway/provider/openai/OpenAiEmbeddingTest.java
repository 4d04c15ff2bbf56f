package dev.llmgateway.provider.openai;

import static dev.llmgateway.provider.openai.OpenAiTestSupport.API_KEY;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.REQUEST_ID;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.EmbeddingCalls;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import dev.llmgateway.provider.anthropic.AnthropicChatProvider;
import dev.llmgateway.provider.openai.responses.OpenAiResponsesChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import dev.llmgateway.spi.Secret;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Embeddings through the Chat Completions adapters' shared client ({@code POST {baseUrl}/embeddings}).
 * No recordings of embeddings exist under the conformance directory, so the bodies here are built from
 * OpenAI's documented shapes: request {@code {model, input, dimensions, encoding_format, user}}, answer
 * {@code {object: "list", data: [{object: "embedding", index, embedding}], model, usage}}.
 */
class OpenAiEmbeddingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PROMPT = "a sentence about secret project aurora";

  /** Two inputs answered out of order, as a server is allowed to. */
  static final String TWO_OUT_OF_ORDER = """
      {"object":"list","data":[
        {"object":"embedding","index":1,"embedding":[0.5,-0.25,0.125]},
        {"object":"embedding","index":0,"embedding":[1.0,0.0,-1.0]}],
       "model":"text-embedding-3-small","usage":{"prompt_tokens":9,"total_tokens":9}}""";

  @RegisterExtension final MockServer mock = new MockServer();
  private OpenAiChatProvider provider;

  @BeforeEach
  void build() {
    provider = OpenAiTestSupport.providerFor(mock.server(), mock.client()).build();
  }

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void postsTheInputsToTheEmbeddingsEndpointWithTheKey() throws Exception {
    mock.server().enqueue(json(200, TWO_OUT_OF_ORDER));
    EmbeddingRequest request = new EmbeddingRequest("text-embedding-3-small", List.of("one", "two"), 3,
        RequestMetadata.EMPTY.withUser("user-42").withTenant("acme"));

    provider.embed(request, CallContext.standalone(false));

    RecordedRequest sent = mock.server().takeRequest();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(MAPPER.readTree(sent.getBody().utf8())).isEqualTo(MAPPER.readTree("""
        {"model":"text-embedding-3-small","input":["one","two"],"dimensions":3,
         "encoding_format":"float","user":"user-42"}"""));
  }

  @Test
  void oneTextIsStillSentAsAnArrayAndNoDimensionsWhenNoneAreAsked() throws Exception {
    mock.server().enqueue(json(200, """
        {"data":[{"index":0,"embedding":[0.1,0.2]}],"model":"text-embedding-3-small",
         "usage":{"prompt_tokens":2,"total_tokens":2}}"""));

    provider.embed(EmbeddingRequest.of("text-embedding-3-small", "hello"), CallContext.standalone(false));

    JsonNode body = MAPPER.readTree(mock.server().takeRequest().getBody().utf8());
    assertThat(body.get("input")).isEqualTo(MAPPER.readTree("[\"hello\"]"));
    assertThat(body.has("dimensions")).isFalse();
    assertThat(body.has("user")).isFalse();
  }

  @Test
  void putsTheVectorsInInputOrderByIndexWithUsageAndModel() {
    mock.server().enqueue(json(200, TWO_OUT_OF_ORDER));

    EmbeddingResponse response = provider.embed(
        EmbeddingRequest.of("text-embedding-3-small", List.of("one", "two")), CallContext.standalone(false));

    assertThat(response.provider()).isEqualTo("openai");
    assertThat(response.model()).isEqualTo("text-embedding-3-small");
    assertThat(response.embeddings()).extracting(Embedding::index).containsExactly(0, 1);
    assertThat(response.embeddings().get(0).vector()).containsExactly(1.0f, 0.0f, -1.0f);
    assertThat(response.embeddings().get(1).vector()).containsExactly(0.5f, -0.25f, 0.125f);
    assertThat(response.embeddings()).allSatisfy(e -> assertThat(e.dimensions()).isEqualTo(3));
    assertThat(response.usage()).isEqualTo(Usage.of(9, 0));
    assertThat(response.first()).containsExactly(1.0f, 0.0f, -1.0f);
  }

  @Test
  void readsBase64VectorsAndAnswersWithoutUsage() {
    ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-2f);
    String base64 = Base64.getEncoder().encodeToString(bytes.array());
    mock.server().enqueue(json(200,
        "{\"data\":[{\"index\":0,\"embedding\":\"" + base64 + "\"}]}"));

    EmbeddingResponse response = provider.embed(EmbeddingRequest.of("m", "x"),
        CallContext.standalone(false));

    assertThat(response.first()).containsExactly(0.5f, -2f);
    assertThat(response.usage()).isEqualTo(Usage.ZERO);
    assertThat(response.model()).isEqualTo("m");
  }

  @Test
  void anAnswerWithTooFewOrRepeatedVectorsIsMalformed() {
    mock.server().enqueue(json(200, "{\"data\":[{\"index\":0,\"embedding\":[1.0]}]}"));
    mock.server().enqueue(json(200, """
        {"data":[{"index":0,"embedding":[1.0]},{"index":0,"embedding":[2.0]}]}"""));
    mock.server().enqueue(json(200, "{\"data\":[{\"index\":0,\"embedding\":[]}]}"));
    mock.server().enqueue(json(200, "{\"object\":\"list\"}"));
    EmbeddingRequest two = EmbeddingRequest.of("m", List.of("a", "b"));

    assertThat(catchThrowableOfType(MalformedResponseException.class,
        () -> provider.embed(two, CallContext.standalone(false))))
        .hasMessageContaining("1 embeddings for 2 inputs");
    assertThat(catchThrowableOfType(MalformedResponseException.class,
        () -> provider.embed(two, CallContext.standalone(false))))
        .hasMessageContaining("repeated");
    assertThat(catchThrowableOfType(MalformedResponseException.class,
        () -> provider.embed(EmbeddingRequest.of("m", "a"), CallContext.standalone(false))))
        .hasMessageContaining("data[0].embedding");
    assertThat(catchThrowableOfType(MalformedResponseException.class,
        () -> provider.embed(EmbeddingRequest.of("m", "a"), CallContext.standalone(false))))
        .hasMessageContaining("without a data array");
  }

  @Test
  void anUnauthorizedKeyIsAnAuthenticationErrorThatShowsNeitherKeyNorText() {
    mock.server().enqueue(json(401, """
        {"error":{"message":"Incorrect API key provided: %s.","type":"invalid_request_error",
         "param":null,"code":"invalid_api_key"}}""".formatted(API_KEY)));

    AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
        () -> provider.embed(EmbeddingRequest.of("text-embedding-3-small", PROMPT),
            CallContext.standalone(false)));

    assertThat(e.context().provider()).isEqualTo("openai");
    assertThat(e.context().model()).isEqualTo("text-embedding-3-small");
    assertThat(e.context().httpStatus()).isEqualTo(401);
    assertThat(e.context().requestId()).isEqualTo(REQUEST_ID);
    SecretLeakAssertions.assertShowsNone("401", e, API_KEY, PROMPT);
  }

  @Test
  void aRateLimitCarriesTheRetryAfter() {
    mock.server().enqueue(json(429, """
        {"error":{"message":"Rate limit reached for text-embedding-3-small","type":"requests",
         "param":null,"code":"rate_limit_exceeded"}}""", "retry-after", "7"));

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> provider.embed(EmbeddingRequest.of("text-embedding-3-small", PROMPT),
            CallContext.standalone(false)));

    assertThat(e.context().retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.isRetryable()).isTrue();
    SecretLeakAssertions.assertShowsNone("429", e, API_KEY, PROMPT);
  }

  @Test
  void anErrorInASuccessfulBodyIsMappedLikeAnHttpError() {
    mock.server().enqueue(json(200, """
        {"object":"error","message":"model does not support embeddings","type":"BadRequestError",
         "code":400}"""));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> provider.embed(EmbeddingRequest.of("llama", PROMPT), CallContext.standalone(false)));

    assertThat(e).isInstanceOf(InvalidRequestException.class);
    SecretLeakAssertions.assertShowsNone("error body", e, API_KEY, PROMPT);
  }

  @Test
  void cancellingTheContextAbortsTheCall() throws Exception {
    EmbeddingCalls.assertCancellationAbortsTheCall(mock.server(), provider,
        EmbeddingRequest.of("text-embedding-3-small", PROMPT));
  }

  @Test
  void aCompatiblePresetEmbedsUnderItsOwnBaseUrlAndKey() throws Exception {
    OpenAiChatProvider vllm = OpenAiCompatiblePreset.VLLM.builder()
        .baseUrl(mock.server().url("/vllm/v1").toString())
        .apiKey(Secret.of("vllm-key"))
        .httpClient(mock.client())
        .build();
    mock.server().enqueue(json(200, """
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25]}],
         "model":"BAAI/bge-m3","usage":{"prompt_tokens":3,"total_tokens":3,"completion_tokens":0}}"""));

    EmbeddingResponse response = vllm.embed(EmbeddingRequest.of("BAAI/bge-m3", "x"),
        CallContext.standalone(false));

    RecordedRequest sent = mock.server().takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/vllm/v1/embeddings");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer vllm-key");
    assertThat(response.provider()).isEqualTo("vllm");
    assertThat(response.usage().inputTokens()).isEqualTo(3);
    vllm.close();
  }

  @Test
  void chatCompletionsProvidersServeEmbeddingsButAnthropicAndTheResponsesWireDoNot() {
    assertThat(provider).isInstanceOf(EmbeddingProvider.class);
    assertThat(EmbeddingProvider.class.isAssignableFrom(AnthropicChatProvider.class)).isFalse();
    assertThat(EmbeddingProvider.class.isAssignableFrom(OpenAiResponsesChatProvider.class)).isFalse();
  }
}

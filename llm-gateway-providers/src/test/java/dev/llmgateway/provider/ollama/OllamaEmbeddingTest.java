package dev.llmgateway.provider.ollama;

import static dev.llmgateway.provider.ollama.OllamaTestSupport.json;
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
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.EmbeddingCalls;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import dev.llmgateway.spi.Secret;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ollama embeddings through {@code POST /api/embed}. No recordings of embeddings exist under the
 * conformance directory; the bodies follow Ollama's API documentation: request
 * {@code {model, input: [...], dimensions?, keep_alive?}}, answer
 * {@code {model, embeddings: [[...]], total_duration, load_duration, prompt_eval_count}}.
 */
class OllamaEmbeddingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KEY = "ollama-cloud-key-THIS-MUST-NEVER-LEAK-42";
  private static final String PROMPT = "my bank password hint is the dog's name";
  private static final String ANSWER = """
      {"model":"embeddinggemma","embeddings":[[0.010071029,-0.0017594862],[0.5,0.25]],
       "total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}""";

  @RegisterExtension final MockServer mock = new MockServer();

  private OllamaChatProvider.Builder builder() {
    return OllamaChatProvider.builder().baseUrl(mock.server().url("/").toString())
        .httpClient(mock.client()).objectMapper(new ObjectMapper());
  }

  @Test
  void postsTheInputsToApiEmbedWithDimensionsAndKeepAlive() throws Exception {
    mock.server().enqueue(json(200, ANSWER));
    try (OllamaChatProvider provider = builder().keepAlive(Duration.ofMinutes(10)).build()) {
      provider.embed(new EmbeddingRequest("embeddinggemma", List.of("a", "b"), 2,
          RequestMetadata.EMPTY), CallContext.standalone(false));
    }

    RecordedRequest sent = mock.server().takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/api/embed");
    assertThat(sent.getHeaders().get("Authorization")).isNull();
    assertThat(MAPPER.readTree(sent.getBody().utf8())).isEqualTo(MAPPER.readTree("""
        {"model":"embeddinggemma","input":["a","b"],"dimensions":2,"keep_alive":"600s"}"""));
  }

  @Test
  void readsTheVectorsInOrderWithPromptEvalCountAsInputTokens() throws Exception {
    mock.server().enqueue(json(200, ANSWER));
    EmbeddingResponse response;
    try (OllamaChatProvider provider = builder().build()) {
      response = provider.embed(EmbeddingRequest.of("embeddinggemma", List.of("a", "b")),
          CallContext.standalone(false));
    }

    assertThat(MAPPER.readTree(mock.server().takeRequest().getBody().utf8())).isEqualTo(
        MAPPER.readTree("{\"model\":\"embeddinggemma\",\"input\":[\"a\",\"b\"]}"));
    assertThat(response.provider()).isEqualTo("ollama");
    assertThat(response.model()).isEqualTo("embeddinggemma");
    assertThat(response.embeddings().get(0).vector()).containsExactly(0.010071029f, -0.0017594862f);
    assertThat(response.embeddings().get(1).vector()).containsExactly(0.5f, 0.25f);
    assertThat(response.usage()).isEqualTo(Usage.of(8, 0));
  }

  @Test
  void aShortAnswerOrAnErrorBodyIsNeverAShortResult() {
    mock.server().enqueue(json(200, "{\"model\":\"m\",\"embeddings\":[[1.0]]}"));
    mock.server().enqueue(json(200, "{\"error\":\"llama runner process has terminated\"}"));
    try (OllamaChatProvider provider = builder().build()) {
      EmbeddingRequest two = EmbeddingRequest.of("m", List.of("a", "b"));

      assertThat(catchThrowableOfType(MalformedResponseException.class,
          () -> provider.embed(two, CallContext.standalone(false))))
          .hasMessageContaining("1 embeddings for 2 inputs");
      assertThat(catchThrowableOfType(ProviderUnavailableException.class,
          () -> provider.embed(two, CallContext.standalone(false))))
          .hasMessageContaining("llama runner process has terminated");
    }
  }

  @Test
  void aModelThatIsNotPulledSaysSo() {
    mock.server().enqueue(json(404, "{\"error\":\"model \\\"nomic-embed-text\\\" not found, try pulling it first\"}"));
    try (OllamaChatProvider provider = builder().build()) {
      assertThat(catchThrowableOfType(InvalidRequestException.class,
          () -> provider.embed(EmbeddingRequest.of("nomic-embed-text", PROMPT),
              CallContext.standalone(false))))
          .hasMessageContaining("ollama pull nomic-embed-text");
    }
  }

  @Test
  void cloudErrorsMapWithoutKeyOrText() {
    mock.server().enqueue(json(401, "{\"error\":\"unauthorized\"}"));
    mock.server().enqueue(new MockResponse.Builder().code(429).addHeader("retry-after", "5")
        .addHeader("Content-Type", "application/json").body("{\"error\":\"too many requests\"}").build());
    try (OllamaChatProvider provider = builder().apiKey(Secret.of(KEY)).build()) {
      AuthenticationException auth = catchThrowableOfType(AuthenticationException.class,
          () -> provider.embed(EmbeddingRequest.of("embeddinggemma", PROMPT), CallContext.standalone(false)));
      RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
          () -> provider.embed(EmbeddingRequest.of("embeddinggemma", PROMPT), CallContext.standalone(false)));

      assertThat(limited.context().retryAfter()).isEqualTo(Duration.ofSeconds(5));
      SecretLeakAssertions.assertShowsNone("401", auth, KEY, PROMPT);
      SecretLeakAssertions.assertShowsNone("429", limited, KEY, PROMPT);
    }
  }

  @Test
  void cancellingTheContextAbortsTheCall() throws Exception {
    try (OllamaChatProvider provider = builder().build()) {
      EmbeddingCalls.assertCancellationAbortsTheCall(mock.server(), provider,
          EmbeddingRequest.of("embeddinggemma", PROMPT));
    }
  }
}

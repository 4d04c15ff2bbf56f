package dev.llmgateway.provider.mistral;

import static dev.llmgateway.provider.mistral.MistralTestSupport.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.EmbeddingCalls;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import java.time.Duration;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mistral embeddings ({@code POST /v1/embeddings}). No recordings of embeddings exist under the
 * conformance directory; the bodies follow Mistral's documented shape (OpenAI's, with
 * {@code output_dimension} for the vector size, and no {@code user}, since Mistral rejects unknown fields).
 */
class MistralEmbeddingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PROMPT = "private note about the launch date";

  @RegisterExtension final MockServer mock = new MockServer();
  private MistralChatProvider provider;

  @BeforeEach
  void build() {
    provider = MistralTestSupport.providerFor(mock.server(), mock.client()).build();
  }

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void postsToV1EmbeddingsWithOutputDimensionAndNoUser() throws Exception {
    mock.server().enqueue(MockResponses.json(200, """
        {"id":"emb-1","object":"list","model":"codestral-embed",
         "data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],
         "usage":{"prompt_tokens":6,"total_tokens":6,"completion_tokens":0}}"""));

    EmbeddingResponse response = provider.embed(new EmbeddingRequest("codestral-embed",
        List.of("int x = 1;"), 3, RequestMetadata.EMPTY.withUser("u-7")), CallContext.standalone(false));

    RecordedRequest sent = mock.server().takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(MAPPER.readTree(sent.getBody().utf8())).isEqualTo(MAPPER.readTree("""
        {"model":"codestral-embed","input":["int x = 1;"],"output_dimension":3,
         "encoding_format":"float"}"""));
    assertThat(response.provider()).isEqualTo("mistral");
    assertThat(response.model()).isEqualTo("codestral-embed");
    assertThat(response.first()).containsExactly(0.1f, 0.2f, 0.3f);
    assertThat(response.usage()).isEqualTo(Usage.of(6, 0));
  }

  @Test
  void mistralEmbedAnswersManyInputsInOrder() throws Exception {
    mock.server().enqueue(MockResponses.json(200, """
        {"id":"emb-2","object":"list","model":"mistral-embed",
         "data":[{"object":"embedding","index":0,"embedding":[1.0]},
                 {"object":"embedding","index":1,"embedding":[2.0]},
                 {"object":"embedding","index":2,"embedding":[3.0]}],
         "usage":{"prompt_tokens":12,"total_tokens":12}}"""));

    EmbeddingResponse response = provider.embed(EmbeddingRequest.of("mistral-embed",
        List.of("a", "b", "c")), CallContext.standalone(false));

    assertThat(MAPPER.readTree(mock.server().takeRequest().getBody().utf8()).has("output_dimension"))
        .isFalse();
    assertThat(response.embeddings()).extracting(e -> e.vector()[0]).containsExactly(1.0f, 2.0f, 3.0f);
  }

  @Test
  void errorsMapToTheHierarchyWithoutKeyOrText() {
    mock.server().enqueue(MockResponses.json(401, """
        {"detail":"Unauthorized"}"""));
    mock.server().enqueue(MockResponses.json(429, """
        {"object":"error","message":"Requests rate limit exceeded","type":"rate_limited","param":null,
         "code":"1300"}""", "retry-after", "3"));

    AuthenticationException auth = catchThrowableOfType(AuthenticationException.class,
        () -> provider.embed(EmbeddingRequest.of("mistral-embed", PROMPT), CallContext.standalone(false)));
    RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
        () -> provider.embed(EmbeddingRequest.of("mistral-embed", PROMPT), CallContext.standalone(false)));

    assertThat(auth.context().provider()).isEqualTo("mistral");
    assertThat(limited.context().retryAfter()).isEqualTo(Duration.ofSeconds(3));
    SecretLeakAssertions.assertShowsNone("401", auth, API_KEY, PROMPT);
    SecretLeakAssertions.assertShowsNone("429", limited, API_KEY, PROMPT);
  }

  @Test
  void cancellingTheContextAbortsTheCall() throws Exception {
    EmbeddingCalls.assertCancellationAbortsTheCall(mock.server(), provider,
        EmbeddingRequest.of("mistral-embed", PROMPT));
  }
}

package dev.llmgateway.provider.azure;

import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.API_KEY;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.APIM_REQUEST_ID;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.json;
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
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import java.time.Duration;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Azure OpenAI embeddings in both URL modes. No recordings of embeddings exist under the conformance
 * directory; the bodies follow Azure's documented embeddings shape, which is OpenAI's.
 */
class AzureOpenAiEmbeddingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String DEPLOYMENT = "my-embedding-3-small";
  private static final String PROMPT = "confidential merger memo";
  private static final String ANSWER = """
      {"object":"list","model":"text-embedding-3-small",
       "data":[{"object":"embedding","index":1,"embedding":[0.0,1.0]},
               {"object":"embedding","index":0,"embedding":[1.0,0.0]}],
       "usage":{"prompt_tokens":4,"total_tokens":4}}""";

  @RegisterExtension final MockServer mock = new MockServer();

  @Test
  void deploymentModePostsToTheDeploymentsEmbeddingsUrlWithTheApiVersion() throws Exception {
    try (AzureOpenAiChatProvider provider =
        AzureOpenAiTestSupport.providerFor(mock.server(), mock.client()).build()) {
      mock.server().enqueue(json(200, ANSWER));

      EmbeddingResponse response = provider.embed(new EmbeddingRequest(DEPLOYMENT,
          List.of("a", "b"), 256, RequestMetadata.EMPTY.withUser("u-1")), CallContext.standalone(false));

      RecordedRequest sent = mock.server().takeRequest();
      assertThat(sent.getUrl().encodedPath())
          .isEqualTo("/openai/deployments/" + DEPLOYMENT + "/embeddings");
      assertThat(sent.getUrl().queryParameter("api-version"))
          .isEqualTo(AzureOpenAiChatProvider.DEFAULT_API_VERSION);
      assertThat(sent.getHeaders().get("api-key")).isEqualTo(API_KEY);
      assertThat(sent.getHeaders().get("Authorization")).isNull();
      assertThat(MAPPER.readTree(sent.getBody().utf8())).isEqualTo(MAPPER.readTree("""
          {"model":"my-embedding-3-small","input":["a","b"],"dimensions":256,
           "encoding_format":"float","user":"u-1"}"""));
      assertThat(response.provider()).isEqualTo("azure");
      assertThat(response.embeddings().get(0).vector()).containsExactly(1.0f, 0.0f);
      assertThat(response.embeddings().get(1).vector()).containsExactly(0.0f, 1.0f);
      assertThat(response.usage()).isEqualTo(Usage.of(4, 0));
    }
  }

  @Test
  void v1ModePostsToTheV1EmbeddingsUrlWithTheDeploymentAsModel() throws Exception {
    try (AzureOpenAiChatProvider provider = AzureOpenAiTestSupport.providerFor(mock.server(), mock.client())
        .mode(AzureOpenAiChatProvider.Mode.V1).build()) {
      mock.server().enqueue(json(200, ANSWER));

      provider.embed(EmbeddingRequest.of(DEPLOYMENT, List.of("a", "b")), CallContext.standalone(false));

      RecordedRequest sent = mock.server().takeRequest();
      assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/v1/embeddings");
      assertThat(sent.getUrl().queryParameter("api-version")).isNull();
      assertThat(MAPPER.readTree(sent.getBody().utf8()).get("model").asText()).isEqualTo(DEPLOYMENT);
    }
  }

  @Test
  void v1ModeWithAnExplicitApiVersionSendsIt() throws Exception {
    try (AzureOpenAiChatProvider provider = AzureOpenAiTestSupport.providerFor(mock.server(), mock.client())
        .mode(AzureOpenAiChatProvider.Mode.V1).apiVersion("preview").build()) {
      mock.server().enqueue(json(200, ANSWER));

      provider.embed(EmbeddingRequest.of(DEPLOYMENT, List.of("a", "b")), CallContext.standalone(false));

      RecordedRequest sent = mock.server().takeRequest();
      assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/v1/embeddings");
      assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("preview");
    }
  }

  @Test
  void errorsCarryAzuresRequestIdAndRetryAfterButNoKeyOrText() {
    try (AzureOpenAiChatProvider provider =
        AzureOpenAiTestSupport.providerFor(mock.server(), mock.client()).build()) {
      mock.server().enqueue(json(401, """
          {"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API \
          endpoint."}}"""));
      mock.server().enqueue(json(429, """
          {"error":{"code":"429","message":"Requests to the Embeddings_Create Operation have exceeded \
          call rate limit."}}""", "retry-after-ms", "1500", "x-ratelimit-remaining-requests", "-1"));

      AuthenticationException auth = catchThrowableOfType(AuthenticationException.class,
          () -> provider.embed(EmbeddingRequest.of(DEPLOYMENT, PROMPT), CallContext.standalone(false)));
      RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
          () -> provider.embed(EmbeddingRequest.of(DEPLOYMENT, PROMPT), CallContext.standalone(false)));

      assertThat(auth.context().requestId()).isEqualTo(APIM_REQUEST_ID);
      assertThat(limited.context().retryAfter()).isEqualTo(Duration.ofMillis(1500));
      SecretLeakAssertions.assertShowsNone("401", auth, API_KEY, PROMPT);
      SecretLeakAssertions.assertShowsNone("429", limited, API_KEY, PROMPT);
    }
  }

  @Test
  void cancellingTheContextAbortsTheCall() throws Exception {
    try (AzureOpenAiChatProvider provider =
        AzureOpenAiTestSupport.providerFor(mock.server(), mock.client()).build()) {
      EmbeddingCalls.assertCancellationAbortsTheCall(mock.server(), provider,
          EmbeddingRequest.of(DEPLOYMENT, PROMPT));
    }
  }
}

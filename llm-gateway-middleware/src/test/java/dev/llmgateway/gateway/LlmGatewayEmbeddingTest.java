package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import dev.llmgateway.spi.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class LlmGatewayEmbeddingTest {

  /** A provider with embeddings: answers one vector {@code [i, length of input i]} per input. */
  private static final class Embedder implements ChatProvider, EmbeddingProvider {
    final String name;
    final List<EmbeddingRequest> received = new CopyOnWriteArrayList<>();
    final List<CallContext> contexts = new CopyOnWriteArrayList<>();
    BiFunction<EmbeddingRequest, CallContext, EmbeddingResponse> answer = Embedder::vectors;

    Embedder(String name) {
      this.name = name;
    }

    static EmbeddingResponse vectors(EmbeddingRequest request, CallContext context) {
      List<Embedding> embeddings = new ArrayList<>();
      for (int i = 0; i < request.inputs().size(); i++) {
        embeddings.add(new Embedding(i, new float[] {i, request.inputs().get(i).length()}));
      }
      return new EmbeddingResponse(request.model(), "emb", embeddings, Usage.of(7, 0));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
      received.add(request);
      contexts.add(context);
      return answer.apply(request, context);
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      throw new AssertionError("no chat call expected");
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      throw new AssertionError("no chat call expected");
    }
  }

  @Test
  void embedsThroughAnAliasWithTheProvidersOwnModelName() {
    Embedder embedder = new Embedder("emb");
    try (LlmGateway gateway = LlmGateway.builder().provider(embedder).logging(false)
        .alias("vectors", "emb/embed-v2").build()) {
      EmbeddingRequest request = new EmbeddingRequest("vectors", List.of("ab", "abc"), 2,
          RequestMetadata.EMPTY.withUser("u-1"));

      EmbeddingResponse response = gateway.embed(request);

      assertThat(embedder.received).containsExactly(request.withModel("embed-v2"));
      assertThat(response.model()).isEqualTo("embed-v2");
      assertThat(response.embeddings()).extracting(Embedding::vector)
          .containsExactly(new float[] {0, 2}, new float[] {1, 3});
      assertThat(response.usage()).isEqualTo(Usage.of(7, 0));
    }
  }

  @Test
  void embedsThroughAModelGroupWithItsFirstDeployment() {
    Embedder first = new Embedder("emb");
    Embedder second = new Embedder("emb-eu");
    try (LlmGateway gateway = LlmGateway.builder().provider(first).provider(second).logging(false)
        .discoverProviders(false)
        .modelGroup(dev.llmgateway.routing.ModelGroup.builder("vectors")
            .deployment(dev.llmgateway.routing.Deployment.of("us", "emb/embed-v2"))
            .deployment(dev.llmgateway.routing.Deployment.of("eu", "emb-eu/embed-v2"))
            .build())
        .build()) {
      EmbeddingRequest request = new EmbeddingRequest("vectors", List.of("ab"), null, RequestMetadata.EMPTY);

      gateway.embed(request);

      assertThat(first.received).containsExactly(request.withModel("embed-v2"));
      assertThat(second.received).isEmpty();
    }
  }

  @Test
  void embedsThroughProviderSlashModelAndTheDefaultProvider() {
    Embedder embedder = new Embedder("emb");
    try (LlmGateway gateway = LlmGateway.builder().provider(embedder).logging(false)
        .defaultProvider("emb").build()) {
      gateway.embed(EmbeddingRequest.of("emb/org/model-with-slash", "x"));
      gateway.embed(EmbeddingRequest.of("bare-model", "x"));

      assertThat(embedder.received).extracting(EmbeddingRequest::model)
          .containsExactly("org/model-with-slash", "bare-model");
    }
  }

  @Test
  void theConvenienceMethodReturnsTheVectorOfTheOneText() {
    Embedder embedder = new Embedder("emb");
    try (LlmGateway gateway = LlmGateway.builder().provider(embedder).logging(false).build()) {
      EmbeddingClient client = gateway;

      assertThat(client.embed("emb/m", "four")).containsExactly(0f, 4f);
      assertThat(embedder.received).containsExactly(EmbeddingRequest.of("m", "four"));
    }
  }

  @Test
  void aProviderWithoutEmbeddingsIsUnsupportedNamingTheProviderBeforeAnyCall() {
    ScriptedProvider chatOnly = new ScriptedProvider("chatonly");
    try (LlmGateway gateway = LlmGateway.builder().provider(chatOnly).logging(false)
        .alias("fast", "chatonly/m").build()) {
      assertThatThrownBy(() -> gateway.embed(EmbeddingRequest.of("fast", "hello")))
          .isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageContaining("provider chatonly does not support embeddings")
          .satisfies(e -> assertThat(((UnsupportedFeatureException) e).context().provider())
              .isEqualTo("chatonly"));
      assertThat(chatOnly.received).isEmpty();
    }
  }

  @Test
  void aModelThatResolvesToNoProviderIsAnInvalidRequest() {
    // two providers, so that neither is the default one
    try (LlmGateway gateway = LlmGateway.builder().provider(new Embedder("emb"))
        .provider(new Embedder("other")).logging(false).discoverProviders(false).build()) {
      assertThatThrownBy(() -> gateway.embed(EmbeddingRequest.of("nowhere/m", "x")))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("nowhere");
    }
  }

  @Test
  void embeddingsPassNoInterceptorAndReachNoListener() {
    Embedder embedder = new Embedder("emb");
    AtomicInteger intercepted = new AtomicInteger();
    List<String> events = new CopyOnWriteArrayList<>();
    ChatEventListener listener = new ChatEventListener() {
      @Override
      public void onCallStart(CallContext context, ChatRequest request) {
        events.add("start");
      }

      @Override
      public void onUsage(CallContext context, Usage usage) {
        events.add("usage");
      }
    };
    try (LlmGateway gateway = LlmGateway.builder().provider(embedder).logging(false)
        .addInterceptor((request, chain) -> {
          intercepted.incrementAndGet();
          return chain.proceed(request);
        })
        .addListener(listener).build()) {
      gateway.embed(EmbeddingRequest.of("emb/m", "x"));
    }
    assertThat(intercepted).hasValue(0);
    assertThat(events).isEmpty();
    assertThat(embedder.contexts).singleElement()
        .satisfies(c -> assertThat(c.events()).isSameAs(ChatEventListener.NONE));
  }

  @Test
  void theTimeoutCancelsTheCallAndIsReportedAsATimeout() {
    Embedder embedder = new Embedder("emb");
    CountDownLatch cancelled = new CountDownLatch(1);
    embedder.answer = (request, context) -> {
      context.onCancel(cancelled::countDown);
      try {
        // waits for the gateway's deadline to cancel the call, as an HTTP call would
        if (!cancelled.await(1, TimeUnit.MINUTES)) {
          throw new AssertionError("the deadline never cancelled the call");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new CallCancelledException("cancelled");
    };
    try (LlmGateway gateway = LlmGateway.builder().provider(embedder).logging(false).build()) {
      assertThatThrownBy(() -> gateway.embed(EmbeddingRequest.of("emb/m", "slow"),
          CallOptions.withTimeout(Duration.ofMillis(50))))
          .isInstanceOf(LlmTimeoutException.class)
          .hasMessageContaining("timeout of PT0.05S");
    }
    assertThat(embedder.contexts.get(0).isCancelled()).isTrue();
  }

  @Test
  void aClosedGatewayRefusesEmbeddings() {
    LlmGateway gateway = LlmGateway.builder().provider(new Embedder("emb")).logging(false).build();
    gateway.close();

    assertThatThrownBy(() -> gateway.embed(EmbeddingRequest.of("emb/m", "x")))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * End to end through the OpenAI adapter. No recording of embeddings exists under the conformance
   * directory; the answer is built from OpenAI's documented shape.
   */
  @Test
  void embedsThroughTheOpenAiAdapterUnderAnAlias() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body("""
              {"object":"list","data":[
                {"object":"embedding","index":1,"embedding":[0.0,1.0]},
                {"object":"embedding","index":0,"embedding":[1.0,0.0]}],
               "model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}""")
          .build());
      OpenAiChatProvider openai = OpenAiChatProvider.builder()
          .baseUrl(server.url("/v1").toString())
          .apiKey(Secret.of("sk-test"))
          .httpClient(new OkHttpClient())
          .build();
      try (LlmGateway gateway = LlmGateway.builder().provider(openai).logging(false)
          .discoverProviders(false).alias("small", "openai/text-embedding-3-small").build()) {
        EmbeddingResponse response = gateway.embed(EmbeddingRequest.of("small", List.of("a", "b")));

        RecordedRequest sent = server.takeRequest();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
        assertThat(new ObjectMapper().readTree(sent.getBody().utf8()).get("model").asText())
            .isEqualTo("text-embedding-3-small");
        assertThat(response.provider()).isEqualTo("openai");
        assertThat(response.embeddings().get(0).vector()).containsExactly(1.0f, 0.0f);
        assertThat(response.usage().inputTokens()).isEqualTo(5);
      } finally {
        openai.close();
      }
    }
  }
}

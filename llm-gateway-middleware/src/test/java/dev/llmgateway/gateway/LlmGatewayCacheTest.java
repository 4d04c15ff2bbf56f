package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CacheInfo;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Message;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.Usage;
import dev.llmgateway.cache.InMemoryCacheStore;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/** The builder's cache methods, and the cache information the gateway puts on every answer. */
class LlmGatewayCacheTest {
  private final ScriptedProvider provider = new ScriptedProvider("openai");
  private final List<ChatResponse> ended = new CopyOnWriteArrayList<>();

  LlmGatewayCacheTest() {
    provider.answer = (request, context) -> ChatResponse.builder().id("r").model("gpt-4o-mini")
        .provider("openai").message(Message.assistant("cached answer")).usage(Usage.of(1000, 500))
        .build();
  }

  private LlmGatewayBuilder builder() {
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addListener(new ChatEventListener() {
          @Override
          public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
            ended.add(response);
          }
        });
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("openai/gpt-4o-mini").user("Hello").temperature(0.0).build();
  }

  @Test
  void aBlockingHitSaysItCameFromTheCacheHowOldItIsAndWhatItSaved() {
    ManualClock clock = new ManualClock();
    try (LlmGateway gateway = builder().cache(cache -> cache.clock(clock)).build()) {
      ChatResponse first = gateway.chat(ask());
      clock.advance(Duration.ofSeconds(90));
      ChatResponse second = gateway.chat(ask());

      assertThat(first.cached()).isFalse();
      assertThat(second.cached()).isTrue();
      CacheInfo info = second.cache();
      assertThat(info.source()).isEqualTo(CacheInfo.Source.EXACT);
      assertThat(info.age()).isEqualTo(Duration.ofSeconds(90));
      assertThat(info.savedUsage()).isEqualTo(Usage.of(1000, 500));
      // gpt-4o-mini: 1000 x 0.15/M + 500 x 0.60/M = 0.00045 USD
      assertThat(info.savedCost()).isEqualByComparingTo("0.00045");
      assertThat(info.currency()).isEqualTo("USD");
      assertThat(second.usage()).isEqualTo(Usage.ZERO);
      assertThat(second.text()).isEqualTo("cached answer");
    }
    assertThat(provider.received).hasSize(1);
    assertThat(ended).extracting(ChatResponse::cached).containsExactly(false, true);
  }

  @Test
  void asyncAndCallbackStreamHitsCarryTheCacheInfo() throws Exception {
    List<ChatResponse> completed = new CopyOnWriteArrayList<>();
    try (LlmGateway gateway = builder().cache().build()) {
      gateway.chat(ask());

      ChatResponse async = gateway.chatAsync(ask()).get(10, TimeUnit.SECONDS);
      ChatResponse streamed = gateway.stream(ask(), new StreamHandler() {
        @Override
        public void onChunk(ChatChunk chunk) {}

        @Override
        public void onComplete(ChatResponse response) {
          completed.add(response);
        }
      }).get(10, TimeUnit.SECONDS);

      assertThat(async.cache().source()).isEqualTo(CacheInfo.Source.EXACT);
      assertThat(streamed.cache().source()).isEqualTo(CacheInfo.Source.EXACT);
      assertThat(streamed.text()).isEqualTo("cached answer");
    }
    assertThat(completed).singleElement().satisfies(r -> assertThat(r.cached()).isTrue());
    assertThat(provider.received).hasSize(1);
  }

  @Test
  void aPullStreamHitIsReportedWithItsCacheInfoToTheListener() {
    try (LlmGateway gateway = builder().cache().build()) {
      gateway.chat(ask());
      try (ChatStream stream = gateway.stream(ask())) {
        ChatResponse collected = stream.collect();
        assertThat(collected.text()).isEqualTo("cached answer");
        assertThat(collected.cache().source()).isEqualTo(CacheInfo.Source.EXACT);
      }
    }
    assertThat(ended).last().satisfies(r -> assertThat(r.cache().source()).isEqualTo(CacheInfo.Source.EXACT));
  }

  @Test
  void theCacheIsGivenTheRouterSoEntriesAreKeyedByModelGroup() {
    ModelGroup fast = ModelGroup.builder("fast").deployment(Deployment.of("a", "openai/gpt-4o-mini")).build();
    InMemoryCacheStore store = InMemoryCacheStore.create();
    try (LlmGateway gateway = builder().modelGroup(fast).cache(cache -> cache.store(store)).build()) {
      ChatRequest request = ChatRequest.builder().model("fast").user("Hello").temperature(0.0).build();
      gateway.chat(request);

      assertThat(gateway.chat(request).cached()).isTrue();
    }
    assertThat(provider.received).hasSize(1);
  }

  @Test
  void aCallThatMissesCarriesNoCacheInfoAndNonDeterministicRequestsAreNotCached() {
    try (LlmGateway gateway = builder().cache().build()) {
      ChatRequest creative = ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").temperature(0.9)
          .build();
      assertThat(gateway.chat(creative).cached()).isFalse();
      assertThat(gateway.chat(creative).cached()).isFalse();
    }
    assertThat(provider.received).hasSize(2);
  }

  /** A provider that chats and embeds: one vector per input, from the input's words. */
  private static final class ChatAndEmbed implements ChatProvider, EmbeddingProvider {
    final List<EmbeddingRequest> embedded = new CopyOnWriteArrayList<>();
    final List<ChatRequest> chats = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "openai";
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
      embedded.add(request);
      List<Embedding> vectors = new ArrayList<>();
      for (int i = 0; i < request.inputs().size(); i++) {
        String text = request.inputs().get(i).toLowerCase(java.util.Locale.ROOT);
        // "weather" questions point one way, everything else the other way
        vectors.add(new Embedding(i, text.contains("weather") ? new float[] {1, 0.05f} : new float[] {0, 1}));
      }
      return new EmbeddingResponse(request.model(), "openai", vectors, Usage.of(3, 0));
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      chats.add(request);
      return ChatResponse.builder().model("gpt-4o-mini").provider("openai")
          .message(Message.assistant("sunny")).usage(Usage.of(10, 2)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      throw new AssertionError("no stream expected");
    }
  }

  @Test
  void theSemanticCacheEmbedsThroughTheGatewayItself() {
    ChatAndEmbed both = new ChatAndEmbed();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(both)
        .semanticCache("openai/text-embedding-3-small", semantic -> semantic.similarityThreshold(0.9))
        .build()) {
      ChatRequest first = ChatRequest.builder().model("openai/gpt-4o-mini")
          .user("What is the weather in Paris?").temperature(0.0).build();
      ChatRequest paraphrase = ChatRequest.builder().model("openai/gpt-4o-mini")
          .user("Paris weather today, please").temperature(0.0).build();
      gateway.chat(first);
      ChatResponse hit = gateway.chat(paraphrase);

      assertThat(hit.cache().source()).isEqualTo(CacheInfo.Source.SEMANTIC);
      assertThat(hit.cache().similarity()).isGreaterThan(0.9);
      assertThat(hit.text()).isEqualTo("sunny");
    }
    assertThat(both.chats).hasSize(1);
    assertThat(both.embedded).extracting(EmbeddingRequest::model)
        .containsOnly("text-embedding-3-small");
  }

  @Test
  void anExactHitIsAnsweredBeforeTheSemanticCacheEmbedsAnything() {
    ChatAndEmbed both = new ChatAndEmbed();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(both)
        .cache()
        .semanticCache("openai/text-embedding-3-small", semantic -> {})
        .build()) {
      ChatRequest question = ChatRequest.builder().model("openai/gpt-4o-mini")
          .user("What is the weather in Paris?").temperature(0.0).build();
      gateway.chat(question);
      int embeddingsAfterFirst = both.embedded.size();

      assertThat(gateway.chat(question).cache().source()).isEqualTo(CacheInfo.Source.EXACT);
      assertThat(both.embedded).hasSize(embeddingsAfterFirst);
    }
  }

  @Test
  void withoutACacheNoneIsInstalled() {
    try (LlmGateway gateway = builder().build()) {
      gateway.chat(ask());
      assertThat(gateway.chat(ask()).cached()).isFalse();
    }
    assertThat(provider.received).hasSize(2);
  }
}

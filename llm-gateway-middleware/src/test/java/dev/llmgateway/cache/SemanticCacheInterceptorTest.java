package dev.llmgateway.cache;

import dev.llmgateway.CacheInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.ProviderUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The semantic cache's rules, with hand-made vectors: the words "fox", "dog", "cat" are the axes. */
class SemanticCacheInterceptorTest {
  private final Upstream upstream = new Upstream();
  private final AtomicLong nanos = new AtomicLong();
  private final InMemorySemanticIndex index = InMemorySemanticIndex.builder()
      .ticker((Ticker) nanos::get).build();

  /** A vector from the question's words: [fox count, dog count, cat count, 0.1]. */
  static final EmbeddingClient WORDS = request -> {
    String text = request.inputs().get(0).toLowerCase();
    float[] v = {count(text, "fox"), count(text, "dog"), count(text, "cat"), 0.1f};
    return new EmbeddingResponse("words", "test", List.of(new dev.llmgateway.embedding.Embedding(0, v)),
        Usage.ZERO);
  };

  private static float count(String text, String word) {
    return text.split(word, -1).length - 1;
  }

  private SemanticCacheInterceptor cache() {
    return SemanticCacheInterceptor.builder(WORDS, "words").index(index).build();
  }

  private static ChatRequest ask(String question) {
    return ChatRequest.builder().model("fast").system("Be brief.").user(question).temperature(0.0).build();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    SemanticCacheInterceptor cache = SemanticCacheInterceptor.builder(WORDS, "words").build();
    assertThat(cache.similarityThreshold()).isEqualTo(SemanticCacheInterceptor.DEFAULT_SIMILARITY_THRESHOLD)
        .isEqualTo(0.91);
    assertThat(cache.ttl()).isEqualTo(SemanticCacheInterceptor.DEFAULT_TTL).isEqualTo(Duration.ofHours(1));
    assertThat(cache.policy()).isSameAs(CachePolicy.DETERMINISTIC);
    assertThat(cache.shareAcrossTenants()).isFalse();
    assertThat(cache.clock()).isSameAs(SemanticCacheInterceptor.DEFAULT_CLOCK);
    assertThat(cache.modelCatalog()).isSameAs(SemanticCacheInterceptor.DEFAULT_MODEL_CATALOG);
    assertThat(cache.index()).isInstanceOfSatisfying(InMemorySemanticIndex.class, i -> {
      assertThat(i.maximumSize()).isEqualTo(InMemorySemanticIndex.DEFAULT_MAXIMUM_SIZE).isEqualTo(1_000);
      assertThat(i.ticker()).isSameAs(InMemorySemanticIndex.DEFAULT_TICKER);
    });
    assertThatThrownBy(() -> SemanticCacheInterceptor.builder(WORDS, "words").similarityThreshold(0))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void aSimilarQuestionIsAnsweredFromTheCache() {
    SemanticCacheInterceptor cache = cache();
    upstream.call(cache, ask("Tell me about the fox"));
    CallContext context = upstream.context(false);
    ChatResponse hit = upstream.call(cache, ask("What do you know about foxes?"));
    assertThat(upstream.calls).hasValue(1);
    assertThat(hit.usage()).isEqualTo(Usage.ZERO);
    upstream.call(cache, ask("A fox, please"), context);
    CacheStatus status = context.get(CacheInterceptor.CACHE_STATUS);
    assertThat(status.source()).isEqualTo(CacheInfo.Source.SEMANTIC);
    assertThat(status.hit().similarity()).isGreaterThan(0.99);
    assertThat(status.savedUsage()).isEqualTo(Usage.of(12, 7));
    assertThat(upstream.cacheHits).hasValue(2);
  }

  @Test
  void aDifferentQuestionMisses() {
    SemanticCacheInterceptor cache = cache();
    upstream.call(cache, ask("Tell me about the fox"));
    upstream.call(cache, ask("Tell me about the dog"));
    assertThat(upstream.calls).hasValue(2);
  }

  @Test
  void onlyRequestsThatDifferInTheirQuestionAreCompared() {
    SemanticCacheInterceptor cache = cache();
    upstream.call(cache, ask("fox"));
    upstream.call(cache, ask("fox").toBuilder().messages(List.of(
        dev.llmgateway.Message.system("Answer in French."), dev.llmgateway.Message.user("fox"))).build());
    upstream.call(cache, ask("fox").toBuilder().maxTokens(5).build());
    upstream.call(cache, ask("fox").toBuilder().model("smart").build());
    upstream.call(cache, ask("fox").toBuilder().providerOption("reasoning_effort", "high").build());
    assertThat(upstream.calls).hasValue(5);
  }

  @Test
  void tenantsDoNotShareEntriesUnlessConfigured() {
    SemanticCacheInterceptor cache = cache();
    RequestMetadata acme = RequestMetadata.EMPTY.withTenant("acme");
    upstream.call(cache, ask("fox").toBuilder().metadata(acme).build());
    upstream.call(cache, ask("fox").toBuilder().metadata(acme.withTenant("globex")).build());
    upstream.call(cache, ask("fox").toBuilder().metadata(acme.withUser("bob").withTags(Map.of("a", "b")))
        .build());
    assertThat(upstream.calls).hasValue(2);

    SemanticCacheInterceptor shared = SemanticCacheInterceptor.builder(WORDS, "words").shareAcrossTenants(true)
        .build();
    upstream.call(shared, ask("dog").toBuilder().metadata(acme).build());
    upstream.call(shared, ask("dog").toBuilder().metadata(acme.withTenant("globex")).build());
    assertThat(upstream.calls).hasValue(3);
  }

  @Test
  void entriesExpire() {
    SemanticCacheInterceptor cache = SemanticCacheInterceptor.builder(WORDS, "words").index(index)
        .ttl(Duration.ofMinutes(1)).build();
    upstream.call(cache, ask("fox"));
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    upstream.call(cache, ask("fox"));
    assertThat(upstream.calls).hasValue(2);
  }

  @Test
  void theIndexIsBoundedOldestFirst() {
    InMemorySemanticIndex small = InMemorySemanticIndex.builder().maximumSize(2).build();
    SemanticCacheInterceptor cache = SemanticCacheInterceptor.builder(WORDS, "words").index(small).build();
    upstream.call(cache, ask("fox"));
    upstream.call(cache, ask("dog"));
    upstream.call(cache, ask("cat"));
    assertThat(small.size()).isEqualTo(2);
    upstream.call(cache, ask("cat"));
    upstream.call(cache, ask("fox"));
    assertThat(upstream.calls).as("cat still cached, fox evicted").hasValue(4);
  }

  @Test
  void failuresTruncationsAndNonDeterministicRequestsAreNotCached() {
    SemanticCacheInterceptor cache = cache();
    upstream.answer = r -> {
      throw new ProviderUnavailableException("down");
    };
    assertThatThrownBy(() -> upstream.call(cache, ask("fox")));
    upstream.answer = r -> Upstream.text("cut").toBuilder().finishReason(dev.llmgateway.FinishReason.LENGTH)
        .build();
    upstream.call(cache, ask("fox"));
    upstream.call(cache, ask("fox").toBuilder().temperature(1.0).build());
    assertThat(index.size()).isZero();
  }

  @Test
  void skipAndRefreshAreHonoured() {
    SemanticCacheInterceptor cache = cache();
    upstream.call(cache, ask("fox"));
    CallContext skip = upstream.context(CallOptions.DEFAULT.with(CacheInterceptor.MODE, CacheMode.SKIP), false);
    upstream.call(cache, ask("fox"), skip);
    assertThat(skip.get(CacheInterceptor.CACHE_STATUS)).isEqualTo(CacheStatus.BYPASSED);
    upstream.answer = r -> Upstream.text("fresh");
    upstream.call(cache, ask("fox"),
        upstream.context(CallOptions.DEFAULT.with(CacheInterceptor.MODE, CacheMode.REFRESH), false));
    assertThat(upstream.call(cache, ask("fox")).text()).isEqualTo("fresh");
    assertThat(upstream.calls).hasValue(3);
  }

  @Test
  void aStreamIsTeedAndReplayedWithToolCalls() {
    SemanticCacheInterceptor cache = cache();
    upstream.answer = r -> Upstream.toolCalls();
    upstream.stream(cache, ask("fox weather"), upstream.context(true)).collect();
    ChatResponse replay = upstream.stream(cache, ask("weather for the fox"), upstream.context(true)).collect();
    assertThat(replay.message()).isEqualTo(Upstream.toolCalls().message());
    assertThat(upstream.calls).hasValue(1);
  }

  @Test
  void aFailingEmbeddingBypassesTheCache() {
    SemanticCacheInterceptor cache = SemanticCacheInterceptor.builder(request -> {
      throw new ProviderUnavailableException("embeddings down");
    }, "words").build();
    CallContext context = upstream.context(false);
    assertThat(upstream.call(cache, ask("fox"), context).text()).isEqualTo("answer 1");
    assertThat(context.get(CacheInterceptor.CACHE_STATUS)).isEqualTo(CacheStatus.BYPASSED);
  }
}

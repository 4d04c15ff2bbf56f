package dev.llmgateway.cache;

import dev.llmgateway.CacheInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.ProviderUnavailableException;
import java.math.BigDecimal;
import dev.llmgateway.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CacheInterceptorTest {
  private final Upstream upstream = new Upstream();
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final InMemoryCacheStore store = InMemoryCacheStore.builder().ticker(ticker).build();

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    clock.advance(d);
  }

  private CacheInterceptor cache() {
    return CacheInterceptor.builder().store(store).clock(clock).build();
  }

  private static @Nullable CacheStatus status(CallContext context) {
    return context.get(CacheInterceptor.CACHE_STATUS);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    CacheInterceptor cache = CacheInterceptor.create();
    assertThat(cache.ttl()).isEqualTo(CacheInterceptor.DEFAULT_TTL).isEqualTo(Duration.ofHours(1));
    assertThat(cache.policy()).isSameAs(CacheInterceptor.DEFAULT_POLICY).isSameAs(CachePolicy.DETERMINISTIC);
    assertThat(cache.shareAcrossTenants()).isEqualTo(CacheInterceptor.DEFAULT_SHARE_ACROSS_TENANTS).isFalse();
    assertThat(cache.coalescing()).isEqualTo(CacheInterceptor.DEFAULT_COALESCING).isTrue();
    assertThat(cache.keyPrefix()).isEqualTo(CacheInterceptor.DEFAULT_KEY_PREFIX).isEqualTo("llmgw:cache:v1:");
    assertThat(cache.clock()).isSameAs(CacheInterceptor.DEFAULT_CLOCK);
    assertThat(cache.modelCatalog()).isSameAs(CacheInterceptor.DEFAULT_MODEL_CATALOG);
    assertThat(cache.router()).isNull();
    assertThat(cache.store()).isInstanceOfSatisfying(InMemoryCacheStore.class, s -> {
      assertThat(s.maximumSize()).isEqualTo(InMemoryCacheStore.DEFAULT_MAXIMUM_SIZE).isEqualTo(10_000);
      assertThat(s.ticker()).isSameAs(InMemoryCacheStore.DEFAULT_TICKER);
    });
  }

  @Test
  void builderRejectsANonPositiveTtl() {
    assertThatThrownBy(() -> CacheInterceptor.builder().ttl(Duration.ZERO))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> InMemoryCacheStore.builder().maximumSize(0))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("maximumSize");
  }

  @Test
  void secondIdenticalCallIsServedFromTheCacheWithZeroUsage() {
    CacheInterceptor cache = cache();
    CallContext first = upstream.context(false);
    ChatResponse original = upstream.call(cache, Upstream.request("fox?"), first);
    assertThat(status(first)).isEqualTo(CacheStatus.MISS);

    advance(Duration.ofSeconds(90));
    CallContext second = upstream.context(false);
    ChatResponse hit = upstream.call(cache, Upstream.request("fox?"), second);

    assertThat(upstream.calls).hasValue(1);
    assertThat(hit.text()).isEqualTo(original.text());
    assertThat(hit.usage()).isEqualTo(Usage.ZERO);
    assertThat(hit.provider()).isEqualTo("openai");
    assertThat(upstream.cacheHits).hasValue(1);
    CacheStatus status = status(second);
    assertThat(status.outcome()).isEqualTo(CacheStatus.Outcome.HIT);
    assertThat(status.source()).isEqualTo(CacheInfo.Source.EXACT);
    assertThat(status.hit().age()).isEqualTo(Duration.ofSeconds(90));
    assertThat(status.savedUsage()).isEqualTo(Usage.of(12, 7));
  }

  @Test
  void aHitReportsTheMoneySavedAtCatalogPrices() {
    ModelCatalog catalog = ModelCatalog.builder().add(ModelInfo.of("openai", "gpt-4o-mini", 128_000, null,
        ModelCapabilities.ALL, ModelPricing.usd(new BigDecimal("0.15"), new BigDecimal("0.60"),
            LocalDate.of(2026, 11, 1), "https://openai.com/api/pricing"))).build();
    CacheInterceptor cache = CacheInterceptor.builder().store(store).modelCatalog(catalog).build();
    upstream.call(cache, Upstream.request("fox?"));
    CallContext context = upstream.context(false);
    upstream.call(cache, Upstream.request("fox?"), context);
    // 12 input tokens at 0.15 and 7 output tokens at 0.60 per million
    assertThat(status(context).hit().savedCost()).isEqualByComparingTo("0.0000060");
    assertThat(status(context).hit().currency()).isEqualTo("USD");
  }

  @Test
  void nonDeterministicRequestsBypassTheCacheByDefault() {
    CacheInterceptor cache = cache();
    ChatRequest warm = ChatRequest.builder().model("fast").user("poem").temperature(0.9).build();
    ChatRequest unset = ChatRequest.builder().model("fast").user("poem").build();
    CallContext context = upstream.context(false);
    upstream.call(cache, warm, context);
    upstream.call(cache, warm);
    upstream.call(cache, unset);
    upstream.call(cache, unset);
    assertThat(upstream.calls).hasValue(4);
    assertThat(status(context)).isEqualTo(CacheStatus.BYPASSED);
    assertThat(store.size()).isZero();
  }

  @Test
  void aSeedMakesARequestCacheableAndThePolicyCanCacheEverything() {
    CacheInterceptor cache = cache();
    ChatRequest seeded = ChatRequest.builder().model("fast").user("poem").temperature(0.9).seed(7L).build();
    upstream.call(cache, seeded);
    upstream.call(cache, seeded);
    assertThat(upstream.calls).hasValue(1);

    CacheInterceptor always = CacheInterceptor.builder().policy(CachePolicy.ALWAYS).build();
    ChatRequest warm = ChatRequest.builder().model("fast").user("poem").temperature(0.9).build();
    upstream.call(always, warm);
    upstream.call(always, warm);
    assertThat(upstream.calls).hasValue(2);
  }

  @Test
  void skipNeitherReadsNorWrites() {
    CacheInterceptor cache = cache();
    CallOptions skip = CallOptions.DEFAULT.with(CacheInterceptor.MODE, CacheMode.SKIP);
    upstream.call(cache, Upstream.request("fox?"), upstream.context(skip, false));
    assertThat(store.size()).isZero();
    upstream.call(cache, Upstream.request("fox?"));
    CallContext skipped = upstream.context(skip, false);
    upstream.call(cache, Upstream.request("fox?"), skipped);
    assertThat(upstream.calls).hasValue(3);
    assertThat(status(skipped)).isEqualTo(CacheStatus.BYPASSED);
  }

  @Test
  void refreshBypassesTheReadAndReplacesTheEntry() {
    CacheInterceptor cache = cache();
    upstream.call(cache, Upstream.request("fox?"));
    upstream.answer = r -> Upstream.text("fresh");
    CallContext refreshing = upstream.context(
        CallOptions.DEFAULT.with(CacheInterceptor.MODE, CacheMode.REFRESH), false);
    assertThat(upstream.call(cache, Upstream.request("fox?"), refreshing).text()).isEqualTo("fresh");
    assertThat(status(refreshing)).isEqualTo(CacheStatus.REFRESHED);
    assertThat(upstream.call(cache, Upstream.request("fox?")).text()).isEqualTo("fresh");
    assertThat(upstream.calls).hasValue(2);
  }

  @Test
  void entriesExpireAfterTheirTtl() {
    CacheInterceptor cache = CacheInterceptor.builder().store(store).ttl(Duration.ofMinutes(10)).build();
    upstream.call(cache, Upstream.request("fox?"));
    advance(Duration.ofMinutes(10).minusNanos(1));
    upstream.call(cache, Upstream.request("fox?"));
    assertThat(upstream.calls).as("still fresh").hasValue(1);
    advance(Duration.ofNanos(1));
    upstream.call(cache, Upstream.request("fox?"));
    assertThat(upstream.calls).as("expired").hasValue(2);
  }

  @Test
  void aPerCallTtlOverridesTheDefault() {
    CacheInterceptor cache = cache();
    CallOptions shortLived = CallOptions.DEFAULT.with(CacheInterceptor.TTL, Duration.ofSeconds(5));
    upstream.call(cache, Upstream.request("fox?"), upstream.context(shortLived, false));
    advance(Duration.ofSeconds(5));
    upstream.call(cache, Upstream.request("fox?"));
    assertThat(upstream.calls).hasValue(2);
  }

  @Test
  void failuresAndRefusalsAreNeverCached() {
    CacheInterceptor cache = cache();
    for (Function<ChatRequest, ChatResponse> failing : java.util.List.<Function<ChatRequest, ChatResponse>>of(
        r -> {
          throw new ProviderUnavailableException("down");
        },
        r -> {
          throw new GuardRefusedException("refused by a guard");
        },
        r -> {
          throw new ContentFilteredException("filtered");
        })) {
      upstream.answer = failing;
      assertThatThrownBy(() -> upstream.call(cache, Upstream.request("fox?")));
    }
    assertThat(store.size()).isZero();
  }

  @Test
  void truncatedFilteredAndRefusedAnswersAreNotCached() {
    CacheInterceptor cache = cache();
    for (ChatResponse answer : java.util.List.of(
        Upstream.text("cut").toBuilder().finishReason(FinishReason.LENGTH).build(),
        Upstream.text("").toBuilder().finishReason(FinishReason.CONTENT_FILTER).build(),
        Upstream.text("").toBuilder().finishReason(FinishReason.ERROR).build(),
        Upstream.text("").toBuilder().finishReason(FinishReason.OTHER).build(),
        Upstream.text("").toBuilder().refusal("I can't help with that.").build())) {
      upstream.answer = r -> answer;
      upstream.call(cache, Upstream.request("fox?"));
      upstream.call(cache, Upstream.request("fox?"));
    }
    assertThat(upstream.calls).hasValue(10);
    assertThat(store.size()).isZero();
  }

  @Test
  void toolCallAnswersAreCached() {
    CacheInterceptor cache = cache();
    upstream.answer = r -> Upstream.toolCalls();
    upstream.call(cache, Upstream.request("weather?"));
    assertThat(upstream.call(cache, Upstream.request("weather?")).toolCalls()).hasSize(2);
    assertThat(upstream.calls).hasValue(1);
  }

  @Test
  void tenantsDoNotSeeEachOthersAnswers() {
    CacheInterceptor cache = cache();
    ChatRequest acme = Upstream.request("fox?").toBuilder()
        .metadata(dev.llmgateway.RequestMetadata.EMPTY.withTenant("acme")).build();
    ChatRequest globex = Upstream.request("fox?").toBuilder()
        .metadata(dev.llmgateway.RequestMetadata.EMPTY.withTenant("globex")).build();
    upstream.answer = r -> Upstream.text("for " + r.metadata().tenant());
    upstream.call(cache, acme);
    assertThat(upstream.call(cache, globex).text()).isEqualTo("for globex");
    assertThat(upstream.call(cache, acme).text()).isEqualTo("for acme");
    assertThat(upstream.calls).hasValue(2);
  }

  @Test
  void aFailingStoreNeverFailsTheCall() {
    CacheStore broken = new CacheStore() {
      @Override
      public @Nullable CacheEntry get(String key) {
        throw new IllegalStateException("redis down");
      }

      @Override
      public void put(String key, CacheEntry entry, Duration ttl) {
        throw new IllegalStateException("redis down");
      }

      @Override
      public void remove(String key) {}
    };
    CacheInterceptor cache = CacheInterceptor.builder().store(broken).build();
    assertThat(upstream.call(cache, Upstream.request("fox?")).text()).isEqualTo("answer 1");
    assertThat(upstream.call(cache, Upstream.request("fox?")).text()).isEqualTo("answer 2");
  }

  @Test
  void removingTheKeyInvalidatesTheEntry() {
    CacheInterceptor cache = cache();
    upstream.call(cache, Upstream.request("fox?"));
    store.remove(cache.keyFor(Upstream.request("fox?")));
    upstream.call(cache, Upstream.request("fox?"));
    assertThat(upstream.calls).hasValue(2);
  }

  @Test
  void theStoreIsBoundedInSize() {
    InMemoryCacheStore small = InMemoryCacheStore.builder().maximumSize(3).build();
    CacheInterceptor cache = CacheInterceptor.builder().store(small).build();
    for (int i = 0; i < 20; i++) {
      upstream.call(cache, Upstream.request("question " + i));
    }
    assertThat(small.size()).isLessThanOrEqualTo(3);
  }
}

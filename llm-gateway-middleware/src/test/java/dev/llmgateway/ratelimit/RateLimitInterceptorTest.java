package dev.llmgateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cost.UsageProvider;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.ratelimit.RateLimitStore.WindowCounts;
import dev.llmgateway.resilience.Sleeper;
import dev.llmgateway.tokens.TokenCounter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/**
 * Requests and tokens per minute on a test clock that starts on a minute boundary; waiting goes through a
 * sleeper that records the wait and moves the clock instead of sleeping. Each request is "Hello there"
 * with maxTokens 100: an estimate of 10 + 100 = 110 tokens; the provider reports 100 + 50 = 150.
 */
class RateLimitInterceptorTest {
  static final CallPricer PRICER = CallPricer.builder().modelCatalog(UsageProvider.CATALOG)
      .tokenCounter(TokenCounter.estimating()).build();

  private final UsageProvider provider = new UsageProvider();
  private final ManualClock clock = new ManualClock(); // 2025-06-01T12:00:00Z, a minute boundary
  private final InMemoryRateLimitStore store = InMemoryRateLimitStore.create();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final Sleeper sleeper = (duration, context) -> {
    waits.add(duration);
    clock.advance(duration);
  };

  private RateLimitInterceptor.Builder limiter(RateLimit... limits) {
    RateLimitInterceptor.Builder builder = RateLimitInterceptor.builder().store(store).pricer(PRICER)
        .clock(clock).sleeper(sleeper);
    for (RateLimit limit : limits) {
      builder.limit(limit);
    }
    return builder;
  }

  private LlmGateway gateway(RateLimitInterceptor interceptor) {
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(UsageProvider.CATALOG).addInterceptor(interceptor).build();
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("test/m1").user("Hello there").maxTokens(100).build();
  }

  private static ChatRequest ask(String tenant) {
    return ask().toBuilder().metadata(RequestMetadata.EMPTY.withTenant(tenant)).build();
  }

  @Test
  void refusesWithARetryAfterWhenTheRequestsOfTheMinuteAreUsed() {
    RateLimit twoPerMinute = RateLimit.builder("global-rpm").requestsPerMinute(2).build();
    try (LlmGateway gateway = gateway(limiter(twoPerMinute).build())) {
      gateway.chat(ask());
      gateway.chat(ask());
      // 2 requests this minute: room again when this minute's 2, fading as the previous minute, weigh 1:
      // 30 s into the next minute, 90 s from now
      assertThatThrownBy(() -> gateway.chat(ask()))
          .isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(90));
            assertThat(e.provider()).isNull();
            assertThat(e.getMessage()).startsWith("rate limit 'global-rpm' allows 2 requests per 60 s and has"
                + " no room now; retry in 90000 ms");
          });
      assertThat(provider.calls.get()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(90));
      gateway.chat(ask());
    }
    assertThat(provider.calls.get()).isEqualTo(3);
    assertThat(waits).isEmpty();
  }

  @Test
  void theSlidingWindowLetsCallsThroughAsThePreviousMinuteFades() {
    RateLimit tenPerMinute = RateLimit.builder("rpm").requestsPerMinute(10).build();
    try (LlmGateway gateway = gateway(limiter(tenPerMinute).build())) {
      for (int i = 0; i < 10; i++) {
        gateway.chat(ask());
      }
      clock.advance(Duration.ofMinutes(1));
      // a fixed window would allow 10 more now; the sliding one still counts all 10 of the last minute
      assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOfSatisfying(RateLimitedException.class,
          e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(6))); // 10 x 54/60 + 1 = 10
      clock.advance(Duration.ofSeconds(6));
      gateway.chat(ask());
    }
    assertThat(provider.calls.get()).isEqualTo(11);
  }

  @Test
  void waitsForRoomWhenAllowed() {
    RateLimit twoPerMinute = RateLimit.builder("rpm").requestsPerMinute(2).build();
    try (LlmGateway gateway = gateway(limiter(twoPerMinute).maxWait(Duration.ofMinutes(2)).build())) {
      gateway.chat(ask());
      gateway.chat(ask());
      gateway.chat(ask()); // waits 90 s, then goes
    }
    assertThat(waits).containsExactly(Duration.ofSeconds(90));
    assertThat(provider.calls.get()).isEqualTo(3);
  }

  @Test
  void refusesAtOnceWhenTheWaitWouldExceedTheMaximum() {
    RateLimit twoPerMinute = RateLimit.builder("rpm").requestsPerMinute(2).build();
    try (LlmGateway gateway = gateway(limiter(twoPerMinute).maxWait(Duration.ofMinutes(1)).build())) {
      gateway.chat(ask());
      gateway.chat(ask());
      assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOf(RateLimitedException.class);
    }
    assertThat(waits).isEmpty();
  }

  @Test
  void countsTheEstimatedTokensAndCorrectsThemToTheActualOnes() {
    RateLimit tokens = RateLimit.builder("tpm").tokensPerMinute(1000).build();
    try (LlmGateway gateway = gateway(limiter(tokens).build())) {
      gateway.chat(ask());
      assertThat(store.peek("tpm/tokens/*").current()).isEqualTo(150); // 110 taken, +40 when it ended
      gateway.stream(ask()).collect();
      assertThat(store.peek("tpm/tokens/*").current()).isEqualTo(300);
    }
  }

  @Test
  void aFailedCallGivesItsTokensBack() {
    RateLimit tokens = RateLimit.builder("tpm").tokensPerMinute(1000).requestsPerMinute(100).build();
    provider.failure = UsageProvider.unavailable();
    try (LlmGateway gateway = gateway(limiter(tokens).build())) {
      assertThatThrownBy(() -> gateway.chat(ask())).isNotInstanceOf(RateLimitedException.class);
    }
    assertThat(store.peek("tpm/tokens/*").current()).isZero();
    assertThat(store.peek("tpm/requests/*").current()).isEqualTo(1); // the request still counts
  }

  @Test
  void aRefusalGivesBackWhatOtherCountersAlreadyTook() {
    RateLimit both = RateLimit.builder("both").requestsPerMinute(10).tokensPerMinute(200).build();
    try (LlmGateway gateway = gateway(limiter(both).build())) {
      gateway.chat(ask()); // 1 request, 150 tokens
      assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOf(RateLimitedException.class);
    }
    assertThat(store.peek("both/requests/*").current()).isEqualTo(1);
    assertThat(store.peek("both/tokens/*").current()).isEqualTo(150);
  }

  @Test
  void aCallLargerThanTheLimitIsRefusedAsNotRetryable() {
    RateLimit small = RateLimit.builder("small").tokensPerMinute(100).build();
    try (LlmGateway gateway = gateway(limiter(small).maxWait(Duration.ofHours(1)).build())) {
      assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOfSatisfying(RateLimitedException.class, e -> {
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.retryAfter()).isNull();
        assertThat(e.getMessage()).startsWith("rate limit 'small' allows 100 tokens per 60 s; this call alone"
            + " needs an estimated 110 tokens");
      });
    }
    assertThat(waits).isEmpty();
    assertThat(provider.calls.get()).isZero();
  }

  @Test
  void eachKeyHasItsOwnCounterAndCallsWithoutOneAreNotLimited() {
    RateLimit perTenant = RateLimit.builder("tenant-rpm").key(RateLimitKey.tenant()).requestsPerMinute(1)
        .build();
    try (LlmGateway gateway = gateway(limiter(perTenant).build())) {
      gateway.chat(ask("acme"));
      gateway.chat(ask("globex"));
      gateway.chat(ask());
      gateway.chat(ask());
      assertThatThrownBy(() -> gateway.chat(ask("acme"))).isInstanceOf(RateLimitedException.class);
    }
    assertThat(provider.calls.get()).isEqualTo(4);
  }

  @Test
  void aCallersApiKeyIsHashedAndNeverShown() {
    AttributeKey<String> apiKey = AttributeKey.of("api-key", String.class);
    RateLimit perKey = RateLimit.builder("per-key").key(RateLimitKey.callOption(apiKey)).requestsPerMinute(1)
        .build();
    CallOptions options = CallOptions.DEFAULT.with(apiKey, "sk-secret-123");
    try (LlmGateway gateway = gateway(limiter(perKey).build())) {
      gateway.chat(ask(), options);
      assertThatThrownBy(() -> gateway.chat(ask(), options))
          .isInstanceOf(RateLimitedException.class).message().doesNotContain("sk-secret-123");
    }
    assertThat(store.peek("per-key/requests/sk-secret-123")).isNull();
    assertThat(store.toString()).doesNotContain("sk-secret");
  }

  @Test
  void computesRetryAfterWithinTheWindowAndIntoTheNext() {
    // 15 s into a minute, 8 of a limit of 10 last minute, 1 this minute: 8 x 45/60 + 1 + 1 = 8 > 10? no:
    // 6 + 2 = 8 fits; with 3 this minute: 6 + 3 + 1 = 10 fits; with 4: 6 + 4 + 1 = 11, wait until
    // 8 x (60 - e)/60 <= 5, e >= 22.5 s -> 7.5 s from now
    assertThat(RateLimitInterceptor.retryAfter(new WindowCounts(false, 8, 4), 1, 10, 15_000, 60_000))
        .isEqualTo(Duration.ofMillis(7500));
    // this minute already full: into the next, where 10 x (60 - e)/60 + 1 <= 10, e >= 6 s: 45 + 6 = 51 s
    assertThat(RateLimitInterceptor.retryAfter(new WindowCounts(false, 0, 10), 1, 10, 15_000, 60_000))
        .isEqualTo(Duration.ofSeconds(51));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    RateLimitInterceptor interceptor = RateLimitInterceptor.builder().build();
    assertThat(interceptor.maxWait()).isEqualTo(RateLimitInterceptor.DEFAULT_MAX_WAIT).isZero();
    assertThat(interceptor.sleeper()).isSameAs(RateLimitInterceptor.DEFAULT_SLEEPER).isSameAs(Sleeper.SYSTEM);
    assertThat(interceptor.clock()).isSameAs(RateLimitInterceptor.DEFAULT_CLOCK).isEqualTo(Clock.systemUTC());
    assertThat(interceptor.store()).isInstanceOf(InMemoryRateLimitStore.class);
    assertThat(interceptor.pricer().modelCatalog()).isSameAs(CallPricer.DEFAULT_MODEL_CATALOG);
    RateLimit limit = RateLimit.builder("l").requestsPerMinute(1).build();
    assertThat(limit.window()).isEqualTo(RateLimit.DEFAULT_WINDOW).isEqualTo(Duration.ofMinutes(1));
    assertThat(limit.key().keyFor(ask(), dev.llmgateway.CallContext.standalone(false))).isEqualTo("*");
    assertThat(limit.tokensPerWindow()).isNull();
  }

  @Test
  void rejectsLimitsItCannotCount() {
    assertThatThrownBy(() -> RateLimit.builder("none").build()).hasMessageContaining("needs a request limit");
    assertThatThrownBy(() -> RateLimit.builder("x").requestsPerMinute(0).build()).hasMessageContaining("> 0");
    assertThatThrownBy(() -> RateLimit.builder("x").tokensPerMinute(Long.MAX_VALUE).build())
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> RateLimit.builder("bad name").requestsPerMinute(1).build())
        .hasMessageContaining("letters");
    assertThatThrownBy(() -> RateLimitInterceptor.builder()
        .limit(RateLimit.builder("a").requestsPerMinute(1).build())
        .limit(RateLimit.builder("a").requestsPerMinute(2).build()).build())
        .hasMessageContaining("two rate limits are named 'a'");
  }
}

package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.budget.Budget;
import dev.llmgateway.budget.BudgetInterceptor;
import dev.llmgateway.budget.BudgetStore.BudgetUsage;
import dev.llmgateway.budget.BudgetStore.Reservation;
import dev.llmgateway.budget.BudgetStore.ReserveResult;
import dev.llmgateway.budget.InMemoryBudgetStore;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.StateStoreUnavailableException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.ratelimit.InMemoryRateLimitStore;
import dev.llmgateway.tokens.TokenCounter;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The redis-server is stopped mid-test: failing closed refuses with a retryable
 * {@link StateStoreUnavailableException}, failing open counts in the local fallback; both go back to Redis
 * once it answers again (Lettuce reconnects on its own).
 */
class RedisOutageTest {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  private static Instant in(Duration d) {
    return Instant.now().plus(d);
  }

  @Test
  void failingClosedRefusesWhileRedisIsDownAndRecoversAfter() throws Exception {
    StatefulRedisConnection<String, String> connection = REDIS.connect();
    RedisBudgetStore store = RedisBudgetStore.create(connection);
    store.add("k", 5, null);

    REDIS.stop();
    assertThatThrownBy(() -> store.tryReserve("k", "a", 1, 100, in(Duration.ofMinutes(1)), null))
        .isInstanceOf(StateStoreUnavailableException.class)
        .satisfies(e -> assertThat(((LlmException) e).isRetryable()).isTrue())
        .hasMessageContaining("fail closed");
    assertThat(store.isDegraded()).isTrue();
    assertThatThrownBy(() -> store.usage("k")).isInstanceOf(StateStoreUnavailableException.class);

    REDIS.start(); // an empty server: no persistence
    await().atMost(Duration.ofSeconds(30)).ignoreException(StateStoreUnavailableException.class)
        .until(() -> store.add("k", 1, null).equals(new BudgetUsage(1, 0)));
    assertThat(store.isDegraded()).isFalse();
  }

  @Test
  void failingClosedRefusesTheCallBeforeItIsSent() throws Exception {
    PricedProvider provider = new PricedProvider();
    CallPricer pricer = CallPricer.builder().modelCatalog(PricedProvider.CATALOG)
        .tokenCounter(TokenCounter.estimating()).build();
    Budget budget = Budget.builder("all").global().daily().money("1", "USD").build();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(PricedProvider.CATALOG)
        .addInterceptor(BudgetInterceptor.builder().budget(budget).pricer(pricer)
            .store(RedisBudgetStore.create(REDIS.connect())).build())
        .build()) {
      ChatRequest request = ChatRequest.builder().model("test/m1").user("hi").maxTokens(10).build();
      gateway.chat(request);
      REDIS.stop();
      assertThatThrownBy(() -> gateway.chat(request)).isInstanceOf(StateStoreUnavailableException.class);
      assertThat(provider.calls.get()).as("the refused call was never sent").isEqualTo(1);
    }
  }

  @Test
  void failingOpenCountsLocallyWhileRedisIsDownAndSettlesInRedisAfter() throws Exception {
    InMemoryBudgetStore local = InMemoryBudgetStore.create();
    RedisBudgetStore store = RedisBudgetStore.builder(REDIS.connect())
        .failureMode(RedisFailureMode.FAIL_OPEN).fallback(local).build();
    assertThat(store.fallback()).isSameAs(local);
    store.add("k", 70, null); // in Redis: invisible to the fallback

    REDIS.stop();
    ReserveResult first = store.tryReserve("k", "a", 60, 100, in(Duration.ofMinutes(5)), null);
    assertThat(first).isInstanceOf(ReserveResult.Reserved.class);
    assertThat(store.isDegraded()).isTrue();
    // the local count starts from zero and holds the limit on its own
    assertThat(store.tryReserve("k", "b", 60, 100, in(Duration.ofMinutes(5)), null))
        .isEqualTo(new ReserveResult.Denied(new BudgetUsage(0, 60)));
    assertThat(store.usage("k")).isEqualTo(new BudgetUsage(0, 60));

    REDIS.start(); // an empty server again
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      store.usage("k");
      return !store.isDegraded();
    });
    // the reservation taken during the outage settles in Redis, and is released locally
    Reservation reservation = ((ReserveResult.Reserved) first).reservation();
    assertThat(store.settle(reservation, 25, null)).isEqualTo(new BudgetUsage(25, 0));
    assertThat(local.usage("k")).isEqualTo(BudgetUsage.ZERO);
  }

  @Test
  void rateLimitsFailClosedOrOpen() throws Exception {
    long window = System.currentTimeMillis() / 60_000;
    RedisRateLimitStore closed = RedisRateLimitStore.create(REDIS.connect());
    InMemoryRateLimitStore local = InMemoryRateLimitStore.create();
    RedisRateLimitStore open = RedisRateLimitStore.builder(REDIS.connect())
        .failureMode(RedisFailureMode.FAIL_OPEN).fallback(local).build();
    assertThat(open.tryAcquire("k", window, 0, 60_000, 2, 2).acquired()).isTrue();

    REDIS.stop();
    assertThatThrownBy(() -> closed.tryAcquire("k", window, 0, 60_000, 1, 2))
        .isInstanceOf(StateStoreUnavailableException.class);
    assertThatThrownBy(() -> closed.adjust("k", window, 60_000, -1))
        .isInstanceOf(StateStoreUnavailableException.class);
    // failing open, the local count knows nothing of Redis's 2 and allows 2 more on its own
    assertThat(open.tryAcquire("k", window, 0, 60_000, 2, 2).acquired()).isTrue();
    assertThat(open.tryAcquire("k", window, 0, 60_000, 1, 2).acquired()).isFalse();
    assertThat(open.isDegraded()).isTrue();

    REDIS.start();
    await().atMost(Duration.ofSeconds(30)).ignoreException(StateStoreUnavailableException.class)
        .until(() -> closed.tryAcquire("k", window, 0, 60_000, 1, 2).acquired());
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      open.tryAcquire("other", window, 0, 60_000, 0, 2);
      return !open.isDegraded();
    });
  }
}

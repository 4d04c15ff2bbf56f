package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.budget.Budget;
import dev.llmgateway.budget.BudgetInterceptor;
import dev.llmgateway.budget.BudgetStore;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.error.BudgetExceededException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.ledger.AccountingInterceptor;
import dev.llmgateway.ledger.InMemoryUsageLedger;
import dev.llmgateway.ledger.UsageTotals;
import dev.llmgateway.ratelimit.RateLimit;
import dev.llmgateway.ratelimit.RateLimitInterceptor;
import dev.llmgateway.ratelimit.RateLimitKey;
import dev.llmgateway.tokens.TokenCounter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance test of issue 6 on a real redis-server: two gateway instances in one JVM, each with its
 * own interceptors and its own Redis connection and store, share one budget and one rate limit. 64
 * threads call through both at once, half streaming: the budget holds across both (by no more than what
 * the calls in flight cost beyond their reservations), nothing stays reserved, and the ledgers' sum is
 * exactly the sum of every response's cost.
 */
class TwoInstancesSharingRedisTest {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  static final int THREADS = 64;
  static final int CALLS_PER_THREAD = 25;
  static final CallPricer PRICER = CallPricer.builder().modelCatalog(PricedProvider.CATALOG)
      .tokenCounter(TokenCounter.estimating()).build();

  /** Sums the cost of every call that ended with an answer, as listeners see it. */
  static final class CostSum implements ChatEventListener {
    final ConcurrentLinkedQueue<BigDecimal> costs = new ConcurrentLinkedQueue<>();

    @Override
    public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
      costs.add(context.get(CostInterceptor.COST).total());
    }

    BigDecimal total() {
      return costs.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }
  }

  /** One application instance: its own provider, store, connection, ledger and interceptors. */
  record Instance(LlmGateway gateway, RedisBudgetStore store, InMemoryUsageLedger ledger) {}

  private Instance instance(Budget budget, PricedProvider provider, CostSum sum) {
    RedisBudgetStore store = RedisBudgetStore.create(REDIS.connect());
    InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
    LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(PricedProvider.CATALOG).addListener(sum)
        .addInterceptor(AccountingInterceptor.builder(ledger).pricer(PRICER).build())
        .addInterceptor(BudgetInterceptor.builder().budget(budget).store(store).pricer(PRICER).build())
        .build();
    return new Instance(gateway, store, ledger);
  }

  @Test
  void theBudgetHoldsAcrossTwoInstancesWhenCallsCostNoMoreThanTheyReserve() throws Exception {
    // each call reserves 10 input + 100 output tokens = 210 micro-dollars and spends 10 + 2 x (0..100)
    Result result = run(request -> Usage.of(10, Math.abs(request.hashCode() % 101)));
    assertThat(result.spentUnits).isLessThanOrEqualTo(result.limitUnits);
  }

  @Test
  void theBudgetIsExceededAtMostByWhatCallsInFlightCostBeyondTheirReservations() throws Exception {
    // 30 input tokens billed where 10 were estimated: 20 micro-dollars beyond each reservation
    Result result = run(request -> Usage.of(30, Math.abs(request.hashCode() % 101)));
    assertThat(result.spentUnits).isLessThanOrEqualTo(result.limitUnits + THREADS * 20L);
  }

  record Result(long limitUnits, long spentUnits) {}

  private Result run(Function<ChatRequest, Usage> usage) throws Exception {
    Budget budget = Budget.builder("shared").global().monthly().money("0.05", "USD").build();
    String period = budget.period().key(Instant.now(), budget.zone());
    CostSum sum = new CostSum();
    PricedProvider providerA = new PricedProvider();
    PricedProvider providerB = new PricedProvider();
    providerA.usage = usage;
    providerB.usage = usage;
    Instance a = instance(budget, providerA, sum);
    Instance b = instance(budget, providerB, sum);
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    try {
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          LlmGateway gateway = (thread % 2 == 0 ? a : b).gateway();
          futures.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
              ChatRequest request = ChatRequest.builder().model("test/m1")
                  .user(String.format("Hello %02d-%02d", thread, i)).maxTokens(100).build();
              try {
                if ((thread / 2) % 2 == 0) {
                  gateway.chat(request);
                } else {
                  try (ChatStream stream = gateway.stream(request)) {
                    stream.collect();
                  }
                }
                answered.incrementAndGet();
              } catch (BudgetExceededException e) {
                refused.incrementAndGet();
              }
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    } finally {
      a.gateway().close();
      b.gateway().close();
    }

    BudgetStore.BudgetUsage after = a.store().usage(budget.storeKey("*", period));
    assertThat(b.store().usage(budget.storeKey("*", period))).as("one truth").isEqualTo(after);
    assertThat(after.reserved()).as("no reservation leaks").isZero();
    assertThat(answered.get() + refused.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(refused.get()).as("the budget ran out").isPositive();
    assertThat(providerA.calls.get()).as("instance A answered calls").isPositive();
    assertThat(providerB.calls.get()).as("instance B answered calls").isPositive();
    assertThat(providerA.calls.get() + providerB.calls.get()).isEqualTo(answered.get());
    // both ledgers together have every call (refused ones at zero cost); their total is exactly the sum
    // of the costs every answered call reported
    Instant from = Instant.EPOCH;
    Instant to = Instant.parse("2100-01-01T00:00:00Z");
    UsageTotals totalA = a.ledger().total(from, to);
    UsageTotals totalB = b.ledger().total(from, to);
    assertThat(totalA.calls() + totalB.calls()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(sum.costs).hasSize(answered.get());
    BigDecimal ledgers = totalA.cost("USD").add(totalB.cost("USD"));
    assertThat(ledgers).isEqualTo(sum.total());
    // costs here are whole micro-dollars, so the shared counter is exactly the ledgers' total
    assertThat(BigDecimal.valueOf(after.spent()).movePointLeft(6)).isEqualByComparingTo(ledgers);
    return new Result(budget.limitUnits(), after.spent());
  }

  @Test
  void aRateLimitIsSharedByTwoInstances() throws Exception {
    // one fixed instant for both instances' limiters: the whole test falls in one window
    Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    RateLimit limit = RateLimit.builder("tenant").key(RateLimitKey.tenant()).requestsPerMinute(40).build();
    List<LlmGateway> gateways = new ArrayList<>();
    PricedProvider provider = new PricedProvider();
    for (int i = 0; i < 2; i++) {
      gateways.add(LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
          .modelCatalog(PricedProvider.CATALOG)
          .addInterceptor(RateLimitInterceptor.builder().limit(limit).pricer(PRICER).clock(clock)
              .store(RedisRateLimitStore.create(REDIS.connect())).build())
          .build());
    }
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        LlmGateway gateway = gateways.get(t % 2);
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 10; i++) {
            ChatRequest request = ChatRequest.builder().model("test/m1").user("hi")
                .metadata(RequestMetadata.EMPTY.withTenant("acme")).build();
            try {
              gateway.chat(request);
              answered.incrementAndGet();
            } catch (RateLimitedException e) {
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      gateways.forEach(LlmGateway::close);
    }
    assertThat(answered.get()).as("40 requests per minute across both instances").isEqualTo(40);
    assertThat(refused.get()).isEqualTo(160 - 40);
  }
}

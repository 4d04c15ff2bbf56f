package dev.llmgateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Usage;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.Cost;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.cost.UsageProvider;
import dev.llmgateway.error.BudgetExceededException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.ledger.AccountingInterceptor;
import dev.llmgateway.ledger.InMemoryUsageLedger;
import dev.llmgateway.ledger.UsageTotals;
import dev.llmgateway.tokens.TokenCounter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
import dev.llmgateway.testkit.ManualClock;

/**
 * 64 threads calling against one budget at once, half of them streaming: the budget is never overspent
 * by more than what the calls in flight cost beyond their reservations, and the ledger's total is exactly
 * the sum of every response's cost.
 */
class BudgetConcurrencyTest {
  static final int THREADS = 64;
  static final int CALLS_PER_THREAD = 25;
  static final CallPricer PRICER = CallPricer.builder().modelCatalog(UsageProvider.CATALOG)
      .tokenCounter(TokenCounter.estimating()).build();

  /** Sums the cost of every call that ended with an answer, as listeners see it. */
  static final class CostSum implements ChatEventListener {
    final ConcurrentLinkedQueue<BigDecimal> costs = new ConcurrentLinkedQueue<>();

    @Override
    public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
      Cost cost = context.get(CostInterceptor.COST);
      costs.add(cost.total());
    }

    BigDecimal total() {
      return costs.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }
  }

  @Test
  void theBudgetHoldsWhenCallsCostNoMoreThanTheyReserve() throws Exception {
    // each call reserves 10 input + 100 output tokens = 210 micro-dollars and spends 10 + 2 x (0..100)
    Result result = run(request -> Usage.of(10, Math.abs(request.hashCode() % 101)));
    assertThat(result.spentUnits).isLessThanOrEqualTo(result.limitUnits);
  }

  @Test
  void theBudgetIsExceededAtMostByWhatCallsInFlightCostBeyondTheirReservations() throws Exception {
    // the provider bills 30 input tokens where 10 were estimated: 20 micro-dollars more than reserved per
    // call, so at most 64 x 20 beyond the limit
    Result result = run(request -> Usage.of(30, Math.abs(request.hashCode() % 101)));
    assertThat(result.spentUnits).isLessThanOrEqualTo(result.limitUnits + THREADS * 20L);
  }

  record Result(long limitUnits, long spentUnits) {}

  private Result run(Function<ChatRequest, Usage> usage) throws Exception {
    UsageProvider provider = new UsageProvider();
    provider.usage = usage;
    ManualClock clock = new ManualClock();
    Budget budget = Budget.builder("shared").global().monthly().money("0.05", "USD").build();
    InMemoryBudgetStore store = InMemoryBudgetStore.create(clock);
    InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
    CostSum sum = new CostSum();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();

    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(UsageProvider.CATALOG).addListener(sum)
        .addInterceptor(AccountingInterceptor.builder(ledger).pricer(PRICER).clock(clock).build())
        .addInterceptor(BudgetInterceptor.builder().budget(budget).store(store).pricer(PRICER).clock(clock)
            .build())
        .build()) {
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
              // the text varies the billed output; the estimate does not depend on it ("Hello NN-NN")
              ChatRequest request = ChatRequest.builder().model("test/m1")
                  .user(String.format("Hello %02d-%02d", thread, i)).maxTokens(100).build();
              try {
                if (thread % 2 == 0) {
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
    }

    BudgetStore.BudgetUsage after = store.usage(budget.storeKey("*", "2025-06"));
    assertThat(after.reserved()).as("no reservation leaks").isZero();
    assertThat(answered.get() + refused.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(refused.get()).as("the budget ran out").isPositive();
    assertThat(answered.get()).isPositive();
    // the ledger has every call (refused ones at zero cost), and its total is exactly the sum of the
    // costs every answered call reported
    UsageTotals total = ledger.total(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    assertThat(total.calls()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(sum.costs).hasSize(answered.get());
    assertThat(total.cost("USD")).isEqualTo(sum.total());
    // costs here are whole micro-dollars, so the budget's counter is exactly the ledger's total
    assertThat(BigDecimal.valueOf(after.spent()).movePointLeft(6)).isEqualByComparingTo(total.cost("USD"));
    return new Result(budget.limitUnits(), after.spent()); // spending only grows: the final is the most
  }
}

package dev.llmgateway.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.cost.CallEstimate;
import dev.llmgateway.cost.CallOutcome;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cost.UsageProvider;
import dev.llmgateway.error.BudgetExceededException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.ledger.AccountingInterceptor;
import dev.llmgateway.ledger.InMemoryUsageLedger;
import dev.llmgateway.tokens.TokenCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/**
 * Reservations before the call and settlement after it, on every path a call can end by. The test
 * model {@code test/m1} costs $1 per million input and $2 per million output tokens; each request is
 * "Hello there" (10 input tokens by the generic estimator) with {@code maxTokens} 100, so each call
 * reserves 10 x $1 + 100 x $2 = $0.00021 (210 micro-dollars), and costs, with the provider's default
 * usage of 100 input and 50 output tokens, $0.0002 (200 micro-dollars).
 */
class BudgetInterceptorTest {
  static final CallPricer PRICER = CallPricer.builder().modelCatalog(UsageProvider.CATALOG)
      .tokenCounter(TokenCounter.estimating()).build();

  private final UsageProvider provider = new UsageProvider();
  private final ManualClock clock = new ManualClock(); // 2025-06-01T12:00:00Z
  private final InMemoryBudgetStore store = InMemoryBudgetStore.create(clock);
  private final List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();
  private final AtomicReference<CallContext> lastContext = new AtomicReference<>();

  private BudgetInterceptor budgets(Budget... budgets) {
    BudgetInterceptor.Builder builder = BudgetInterceptor.builder().store(store).pricer(PRICER).clock(clock)
        .alertListener(alerts::add);
    for (Budget budget : budgets) {
      builder.budget(budget);
    }
    return builder.build();
  }

  private LlmGateway gateway(Interceptor... interceptors) {
    var builder = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(UsageProvider.CATALOG);
    for (Interceptor interceptor : interceptors) {
      builder.addInterceptor(interceptor);
    }
    // innermost: remember the call's context, so that a test can cancel the call
    builder.addRequestInterceptor((request, context) -> {
      lastContext.set(context);
      return request;
    });
    return builder.build();
  }

  private static ChatRequest ask(String tenant) {
    return ChatRequest.builder().model("test/m1").user("Hello there").maxTokens(100)
        .metadata(RequestMetadata.EMPTY.withTenant(tenant)).build();
  }

  private static Budget acme(String limit) {
    return Budget.builder("acme-monthly").tenant("acme").monthly().money(limit, "USD").build();
  }

  private BudgetStatus status(BudgetInterceptor interceptor, Budget budget, String subject) {
    return interceptor.status(budget, subject);
  }

  @Test
  void refusesACallThatDoesNotFitSayingWhichBudgetAndWhatIsLeft() {
    Budget budget = acme("0.0005");
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      gateway.chat(ask("acme")); // 0 + 210 <= 500; spends 200
      gateway.chat(ask("acme")); // 200 + 210 <= 500; spends 200
      // 400 + 210 > 500: refused before it is sent
      assertThatThrownBy(() -> gateway.chat(ask("acme")))
          .isInstanceOf(BudgetExceededException.class)
          .isInstanceOfSatisfying(BudgetLimitException.class, e -> {
            assertThat(e.getMessage()).startsWith("budget 'acme-monthly' (tenant acme, 2025-06) has 0.0001 USD"
                + " left of 0.0005 USD; this call needs an estimated 0.00021 USD");
            assertThat(e.budget()).isSameAs(budget);
            assertThat(e.subject()).isEqualTo("acme");
            assertThat(e.period()).isEqualTo("2025-06");
            assertThat(e.remaining()).isEqualByComparingTo("0.0001");
            assertThat(e.needed()).isEqualByComparingTo("0.00021");
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.retryAfter()).isEqualTo(Duration.between(clock.instant(),
                Instant.parse("2025-07-01T00:00:00Z")));
          });
    }
    assertThat(provider.calls.get()).isEqualTo(2);
    BudgetStatus status = status(interceptor, budget, "acme");
    assertThat(status.spent()).isEqualByComparingTo("0.0004");
    assertThat(status.reserved()).isEqualByComparingTo("0");
    assertThat(status.remaining()).isEqualByComparingTo("0.0001");
  }

  @Test
  void settlesToTheActualCostAndPutsTheEstimateOnTheCall() {
    Budget budget = acme("1");
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      gateway.chat(ask("acme"));
    }
    assertThat(status(interceptor, budget, "acme").spent()).isEqualByComparingTo("0.0002");
    CallEstimate estimate = lastContext.get().get(BudgetInterceptor.ESTIMATE);
    assertThat(estimate.inputTokens()).isEqualTo(10);
    assertThat(estimate.outputTokens()).isEqualTo(100);
    assertThat(estimate.cost().total()).isEqualByComparingTo("0.00021");
  }

  @Test
  void aFailedCallReleasesItsReservation() {
    Budget budget = acme("1");
    BudgetInterceptor interceptor = budgets(budget);
    provider.failure = UsageProvider.unavailable();
    try (LlmGateway gateway = gateway(interceptor)) {
      assertThatThrownBy(() -> gateway.chat(ask("acme"))).isInstanceOf(ProviderUnavailableException.class);
    }
    BudgetStatus status = status(interceptor, budget, "acme");
    assertThat(status.spent()).isEqualByComparingTo("0");
    assertThat(status.reserved()).isEqualByComparingTo("0");
  }

  @Test
  void aStreamThatNeverOpensReleasesItsReservation() {
    Budget budget = acme("1");
    BudgetInterceptor interceptor = budgets(budget);
    provider.failure = UsageProvider.unavailable();
    try (LlmGateway gateway = gateway(interceptor)) {
      assertThatThrownBy(() -> gateway.stream(ask("acme"))).isInstanceOf(ProviderUnavailableException.class);
    }
    assertThat(status(interceptor, budget, "acme").reserved()).isEqualByComparingTo("0");
    assertThat(status(interceptor, budget, "acme").spent()).isEqualByComparingTo("0");
  }

  @Test
  void aCompletedStreamSettlesToItsReportedUsage() {
    Budget budget = acme("1");
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      ChatStream stream = gateway.stream(ask("acme"));
      stream.next();
      // in flight: the estimate is held
      assertThat(status(interceptor, budget, "acme").reserved()).isEqualByComparingTo("0.00021");
      stream.collect();
    }
    assertThat(status(interceptor, budget, "acme").reserved()).isEqualByComparingTo("0");
    assertThat(status(interceptor, budget, "acme").spent()).isEqualByComparingTo("0.0002");
  }

  @Test
  void aStreamThatFailsPartWaySettlesToItsPartialCost() {
    Budget budget = acme("1");
    BudgetInterceptor interceptor = budgets(budget);
    provider.failStreamAfter = 3; // start, "ans", "wer", then the connection breaks; no usage chunk
    try (LlmGateway gateway = gateway(interceptor)) {
      assertThatThrownBy(() -> gateway.stream(ask("acme")).collect())
          .isInstanceOf(StreamInterruptedException.class);
    }
    BudgetStatus status = status(interceptor, budget, "acme");
    assertThat(status.reserved()).isEqualByComparingTo("0");
    // estimated: 10 input x $1 + 2 output ("answer") x $2 = 14 micro-dollars
    assertThat(status.spent()).isEqualByComparingTo("0.000014");
  }

  @Test
  void aStreamClosedEarlySettlesToWhatArrived() {
    Budget budget = acme("1");
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      ChatStream stream = gateway.stream(ask("acme"));
      stream.next(); // start
      stream.next(); // "ans"
      stream.close();
    }
    BudgetStatus status = status(interceptor, budget, "acme");
    assertThat(status.reserved()).isEqualByComparingTo("0");
    // 10 input x $1 + 1 output ("ans") x $2 = 12 micro-dollars
    assertThat(status.spent()).isEqualByComparingTo("0.000012");
  }

  @Test
  void aCancelledStreamSettles() {
    Budget budget = acme("1");
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      ChatStream stream = gateway.stream(ask("acme"));
      stream.next();
      lastContext.get().cancel();
      assertThatThrownBy(stream::next).isInstanceOf(CallCancelledException.class);
      stream.close();
    }
    BudgetStatus status = status(interceptor, budget, "acme");
    assertThat(status.reserved()).isEqualByComparingTo("0");
    assertThat(status.spent()).isEqualByComparingTo("0.00001"); // the estimated input only
  }

  @Test
  void aTokenBudgetCountsInputAndOutputTokens() {
    Budget budget = Budget.builder("tokens").perTenant().daily().tokens(300).build();
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      gateway.chat(ask("acme")); // reserves 10 + 100 = 110 tokens, spends 150
      gateway.chat(ask("acme")); // 150 + 110 <= 300; spends 150
      assertThatThrownBy(() -> gateway.chat(ask("acme")))
          .hasMessageStartingWith("budget 'tokens' (tenant acme, 2025-06-01) has 0 tokens left of 300 tokens;"
              + " this call needs an estimated 110 tokens");
      gateway.chat(ask("globex")); // another tenant's own budget
    }
    assertThat(status(interceptor, budget, "acme").spent()).isEqualByComparingTo("300");
    assertThat(status(interceptor, budget, "globex").spent()).isEqualByComparingTo("150");
  }

  @Test
  void callsTheBudgetDoesNotCountPassFreely() {
    Budget budget = acme("0.0001"); // too small for even one call
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      gateway.chat(ask("globex"));
      gateway.chat(ChatRequest.builder().model("test/m1").user("no tenant").build());
      assertThatThrownBy(() -> gateway.chat(ask("acme"))).isInstanceOf(BudgetLimitException.class);
    }
    assertThat(provider.calls.get()).isEqualTo(2);
  }

  @Test
  void softThresholdsFireOncePerPeriod() {
    // 1000 tokens a month, soft; each call spends 150 tokens
    Budget budget = Budget.builder("soft").perTenant().monthly().tokens(1000).soft().alertAt(50, 80, 100)
        .build();
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      for (int call = 1; call <= 10; call++) {
        gateway.chat(ask("acme")); // 50% at call 4 (600), 80% at 6 (900), 100% at 7 (1050); never refused
      }
      assertThat(alerts).extracting(BudgetAlert::percent).containsExactly(50, 80, 100);
      assertThat(alerts.get(0).spent()).isEqualByComparingTo("600");
      assertThat(alerts.get(1).spent()).isEqualByComparingTo("900");
      assertThat(alerts.get(2).spent()).isEqualByComparingTo("1050");
      assertThat(alerts).extracting(BudgetAlert::period).containsOnly("2025-06");
      assertThat(alerts).extracting(BudgetAlert::subject).containsOnly("acme");

      clock.set(Instant.parse("2025-07-01T00:00:00Z")); // a new month: spending and alerts start over
      for (int call = 1; call <= 4; call++) {
        gateway.chat(ask("acme"));
      }
    }
    assertThat(alerts).extracting(a -> a.percent() + "@" + a.period())
        .containsExactly("50@2025-06", "80@2025-06", "100@2025-06", "50@2025-07");
    assertThat(provider.calls.get()).isEqualTo(14);
  }

  @Test
  void aHardBudgetAlertsToo() {
    Budget budget = Budget.builder("hard").global().total().money("0.0005", "USD").alertAt(50).build();
    try (LlmGateway gateway = gateway(budgets(budget))) {
      gateway.chat(ask("acme")); // 200 of 500: 40%
      assertThat(alerts).isEmpty();
      gateway.chat(ask("globex")); // 400 of 500: 80%
    }
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.percent()).isEqualTo(50);
      assertThat(a.subject()).isEqualTo("*");
      assertThat(a.period()).isEqualTo("total");
      assertThat(a.toString()).contains("hard", "everyone", "0.0004 USD of 0.0005 USD");
    });
  }

  @Test
  void aModelWithoutAPriceReservesNothingButAnExhaustedBudgetStillRefusesIt() {
    Budget budget = acme("0.0003");
    BudgetInterceptor interceptor = budgets(budget);
    try (LlmGateway gateway = gateway(interceptor)) {
      ChatRequest unpriced = ChatRequest.builder().model("test/unknown").user("Hi")
          .metadata(RequestMetadata.EMPTY.withTenant("acme")).build();
      gateway.chat(unpriced); // no price: nothing reserved, nothing spent
      gateway.chat(ask("acme")); // 200 spent
      gateway.chat(unpriced);
      store.add(budget.storeKey("acme", "2025-06"), 100, null); // exhaust it: 300 of 300
      assertThatThrownBy(() -> gateway.chat(unpriced)).isInstanceOf(BudgetLimitException.class);
    }
  }

  @Test
  void theAccountingInterceptorRecordsRefusedCalls() {
    InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
    try (LlmGateway gateway = gateway(AccountingInterceptor.builder(ledger).pricer(PRICER).clock(clock).build(),
        budgets(acme("0.0001")))) {
      assertThatThrownBy(() -> gateway.chat(ask("acme"))).isInstanceOf(BudgetLimitException.class);
    }
    assertThat(ledger.records()).singleElement().satisfies(record -> {
      assertThat(record.outcome()).isEqualTo(CallOutcome.FAILED);
      assertThat(record.usage()).isEqualTo(Usage.ZERO);
      assertThat(record.tenant()).isEqualTo("acme");
    });
  }

  @Test
  void aFailingAlertListenerDoesNotBreakTheCall() {
    Budget budget = Budget.builder("b").global().tokens(100).soft().alertAt(1).build();
    BudgetInterceptor interceptor = BudgetInterceptor.builder().budget(budget).store(store).pricer(PRICER)
        .clock(clock).alertListener(alert -> {
          throw new IllegalStateException("pager is down");
        }).build();
    try (LlmGateway gateway = gateway(interceptor)) {
      assertThat(gateway.chat(ask("acme")).text()).isEqualTo("answer");
    }
    assertThat(interceptor.status(budget, null).spent()).isEqualByComparingTo("150");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    BudgetInterceptor interceptor = BudgetInterceptor.builder().build();
    assertThat(interceptor.clock()).isSameAs(BudgetInterceptor.DEFAULT_CLOCK).isEqualTo(Clock.systemUTC());
    assertThat(interceptor.reservationTtl()).isEqualTo(BudgetInterceptor.DEFAULT_RESERVATION_TTL)
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(interceptor.periodRetention()).isEqualTo(BudgetInterceptor.DEFAULT_PERIOD_RETENTION)
        .isEqualTo(Duration.ofDays(7));
    assertThat(interceptor.store()).isInstanceOf(InMemoryBudgetStore.class);
    assertThat(interceptor.pricer().modelCatalog()).isSameAs(CallPricer.DEFAULT_MODEL_CATALOG);
    assertThat(interceptor.budgets()).isEmpty();
    assertThat(interceptor.listeners()).isEmpty();
  }

  @Test
  void rejectsTwoBudgetsWithOneName() {
    assertThatThrownBy(() -> BudgetInterceptor.builder().budget(acme("1")).budget(acme("2")).build())
        .hasMessageContaining("two budgets are named 'acme-monthly'");
  }

  /** A listener reading the call's estimate when the call ends. */
  static final class EstimateReader implements ChatEventListener {
    final List<CallEstimate> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
      seen.add(context.get(BudgetInterceptor.ESTIMATE));
    }
  }

  @Test
  void listenersSeeTheEstimate() {
    EstimateReader reader = new EstimateReader();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(UsageProvider.CATALOG).addListener(reader).addInterceptor(budgets(acme("1"))).build()) {
      gateway.chat(ask("acme"));
    }
    assertThat(reader.seen).singleElement()
        .satisfies(e -> assertThat(e.totalTokens()).isEqualTo(110));
  }
}

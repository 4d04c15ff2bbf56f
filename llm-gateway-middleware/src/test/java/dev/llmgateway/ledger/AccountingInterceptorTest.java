package dev.llmgateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.cost.CallOutcome;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cost.UsageProvider;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.tokens.TokenCounter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

class AccountingInterceptorTest {
  static final CallPricer PRICER = CallPricer.builder().modelCatalog(UsageProvider.CATALOG)
      .tokenCounter(TokenCounter.estimating()).build();

  private final UsageProvider provider = new UsageProvider();
  private final ManualClock clock = new ManualClock();
  private final InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
  private final List<UsageRecord> exported = new CopyOnWriteArrayList<>();

  private LlmGateway gateway(UsageRecordListener... listeners) {
    AccountingInterceptor.Builder accounting = AccountingInterceptor.builder(ledger).pricer(PRICER)
        .clock(clock).listener(exported::add);
    for (UsageRecordListener listener : listeners) {
      accounting.listener(listener);
    }
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(UsageProvider.CATALOG).addInterceptor(accounting.build()).build();
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("test/m1").user("Hello there")
        .metadata(new RequestMetadata("acme", "alice", "search-ui", Map.of("feature", "search"))).build();
  }

  @Test
  void recordsASucceededCallWithWhoAskedAndWhatItCost() {
    try (LlmGateway gateway = gateway()) {
      gateway.chat(ask());
    }
    UsageRecord record = ledger.records().get(0);
    assertThat(record.time()).isEqualTo(clock.instant());
    assertThat(record.tenant()).isEqualTo("acme");
    assertThat(record.user()).isEqualTo("alice");
    assertThat(record.application()).isEqualTo("search-ui");
    assertThat(record.tags()).containsEntry("feature", "search");
    assertThat(record.provider()).isEqualTo("test");
    assertThat(record.model()).isEqualTo("m1");
    assertThat(record.usage()).isEqualTo(Usage.of(100, 50));
    assertThat(record.cost().total()).isEqualByComparingTo("0.0002");
    assertThat(record.outcome()).isEqualTo(CallOutcome.SUCCEEDED);
    assertThat(record.estimated()).isFalse();
    assertThat(exported).containsExactly(record);
  }

  @Test
  void aCacheHitIsRecordedAtNoCostWithWhatItSavedAndEveryRecordHasItsLatency() {
    ChatRequest deterministic = ask().toBuilder().temperature(0.0).build();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false)
        .provider(provider).modelCatalog(UsageProvider.CATALOG)
        .addInterceptor(AccountingInterceptor.builder(ledger).pricer(PRICER).clock(clock).build())
        .cache().build()) {
      gateway.chat(deterministic);
      gateway.chat(deterministic);
    }
    List<UsageRecord> records = ledger.records();
    assertThat(records).hasSize(2);
    assertThat(records.get(0).cache()).isNull();
    UsageRecord hit = records.get(1);
    assertThat(hit.usage()).isEqualTo(Usage.ZERO);
    assertThat(hit.cost().total()).isEqualByComparingTo("0");
    assertThat(hit.cache().savedUsage()).isEqualTo(Usage.of(100, 50));
    assertThat(hit.cache().savedCost()).isEqualByComparingTo("0.0002");
    assertThat(records).allSatisfy(r -> assertThat(r.latency().isNegative()).isFalse());

    UsageTotals totals = ledger.total(clock.instant().minusSeconds(1), clock.instant().plusSeconds(1));
    assertThat(totals.calls()).isEqualTo(2);
    assertThat(totals.cacheHits()).isEqualTo(1);
    assertThat(totals.cost("USD")).isEqualByComparingTo("0.0002");
    assertThat(totals.savedCost("USD")).isEqualByComparingTo("0.0002");
    assertThat(totals.totalLatency()).isEqualTo(records.get(0).latency().plus(hit.latency()));
  }

  @Test
  void recordsAFailedCallAtNoCost() {
    provider.failure = UsageProvider.unavailable();
    try (LlmGateway gateway = gateway()) {
      assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOf(ProviderUnavailableException.class);
    }
    UsageRecord record = ledger.records().get(0);
    assertThat(record.outcome()).isEqualTo(CallOutcome.FAILED);
    assertThat(record.usage()).isEqualTo(Usage.ZERO);
    assertThat(record.cost().total()).isEqualByComparingTo("0");
  }

  @Test
  void recordsACompletedStream() {
    try (LlmGateway gateway = gateway()) {
      gateway.stream(ask()).collect();
    }
    assertThat(ledger.records()).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(CallOutcome.SUCCEEDED);
      assertThat(r.usage()).isEqualTo(Usage.of(100, 50));
    });
  }

  @Test
  void recordsAStreamThatFailedPartWayWithItsPartialUsage() {
    provider.failStreamAfter = 3; // start, "ans", "wer", then the connection breaks
    try (LlmGateway gateway = gateway()) {
      assertThatThrownBy(() -> gateway.stream(ask()).collect())
          .isInstanceOf(StreamInterruptedException.class);
    }
    UsageRecord record = ledger.records().get(0);
    assertThat(record.outcome()).isEqualTo(CallOutcome.FAILED);
    // estimated: 10 input (the request), 2 output ("answer")
    assertThat(record.usage()).isEqualTo(new Usage(10, 2, 0, 0, 0, true));
    assertThat(record.estimated()).isTrue();
    // 10 x $1 -> 0.00001; 2 x $2 -> 0.000004
    assertThat(record.cost().total()).isEqualByComparingTo("0.000014");
  }

  @Test
  void recordsAStreamClosedEarlyAsCancelled() {
    try (LlmGateway gateway = gateway()) {
      ChatStream stream = gateway.stream(ask());
      stream.next();
      stream.close();
    }
    UsageRecord record = ledger.records().get(0);
    assertThat(record.outcome()).isEqualTo(CallOutcome.CANCELLED);
    assertThat(record.usage()).isEqualTo(new Usage(10, 0, 0, 0, 0, true));
  }

  @Test
  void aFailingListenerAffectsNeitherTheCallNorTheOtherListeners() {
    try (LlmGateway gateway = gateway(record -> {
      throw new IllegalStateException("export is down");
    })) {
      assertThat(gateway.chat(ask()).text()).isEqualTo("answer");
    }
    assertThat(ledger.size()).isEqualTo(1);
    assertThat(exported).hasSize(1);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    AccountingInterceptor accounting = AccountingInterceptor.builder(ledger).build();
    assertThat(accounting.clock()).isSameAs(AccountingInterceptor.DEFAULT_CLOCK).isEqualTo(Clock.systemUTC());
    assertThat(accounting.pricer().modelCatalog()).isSameAs(CallPricer.DEFAULT_MODEL_CATALOG);
    assertThat(accounting.listeners()).isEmpty();
    assertThat(accounting.ledger()).isSameAs(ledger);
  }
}

package dev.llmgateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryUsageLedgerTest {

  @Test
  void keepsTheDocumentedNumberOfRecordsByDefault() {
    assertThat(InMemoryUsageLedger.create().capacity()).isEqualTo(InMemoryUsageLedger.DEFAULT_CAPACITY)
        .isEqualTo(100_000);
  }

  @Test
  void dropsTheOldestRecordsBeyondItsCapacity() {
    InMemoryUsageLedger ledger = InMemoryUsageLedger.withCapacity(3);
    for (int minute = 0; minute < 5; minute++) {
      ledger.record(UsageQueryTest.record(minute, "acme", "m", Map.of(), Usage.of(1, 1), "1", "USD"));
    }
    assertThat(ledger.size()).isEqualTo(3);
    assertThat(ledger.evicted()).isEqualTo(2);
    assertThat(ledger.records()).extracting(UsageRecord::callId).containsExactly("call-2", "call-3", "call-4");
    assertThat(ledger.total(UsageQueryTest.T0, UsageQueryTest.T0.plusSeconds(3600)).cost("USD"))
        .isEqualByComparingTo("3");
  }

  @Test
  void losesNoRecordWhenManyThreadsRecordAtOnce() throws Exception {
    InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
    int threads = 32;
    int each = 500;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            ledger.record(UsageQueryTest.record(i % 60, "acme", "m", Map.of(), Usage.of(3, 2),
                "0.000001", "USD"));
            if (i % 100 == 0) {
              ledger.query(UsageQuery.builder(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).build());
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
    UsageTotals total = ledger.total(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    assertThat(total.calls()).isEqualTo(threads * each);
    assertThat(total.inputTokens()).isEqualTo(3L * threads * each);
    assertThat(total.cost("USD")).isEqualTo(new BigDecimal("0.016000")); // 16,000 x 0.000001
  }
}

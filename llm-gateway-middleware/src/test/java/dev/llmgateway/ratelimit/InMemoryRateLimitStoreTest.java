package dev.llmgateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ratelimit.RateLimitStore.WindowCounts;
import org.junit.jupiter.api.Test;

class InMemoryRateLimitStoreTest {
  private final InMemoryRateLimitStore store = InMemoryRateLimitStore.create();

  @Test
  void holdsAtMostTheDocumentedNumberOfKeysByDefault() {
    assertThat(InMemoryRateLimitStore.DEFAULT_MAX_KEYS).isEqualTo(1_000_000);
  }

  @Test
  void addsPermitsWhileTheSlidingCountAllows() {
    assertThat(store.tryAcquire("k", 100, 0, 60_000, 6, 10)).isEqualTo(new WindowCounts(true, 0, 0));
    assertThat(store.tryAcquire("k", 100, 10_000, 60_000, 4, 10)).isEqualTo(new WindowCounts(true, 0, 6));
    assertThat(store.tryAcquire("k", 100, 20_000, 60_000, 1, 10)).isEqualTo(new WindowCounts(false, 0, 10));
  }

  @Test
  void theCurrentWindowBecomesThePreviousOneAndFades() {
    store.tryAcquire("k", 100, 0, 60_000, 10, 10);
    // next window, 30 s in: 10 x 30/60 = 5 still count, so 5 more fit and a sixth does not
    assertThat(store.tryAcquire("k", 101, 30_000, 60_000, 5, 10)).isEqualTo(new WindowCounts(true, 10, 0));
    assertThat(store.tryAcquire("k", 101, 30_000, 60_000, 1, 10).acquired()).isFalse();
    // two windows later nothing of window 100 counts
    assertThat(store.tryAcquire("k", 102, 0, 60_000, 5, 10)).isEqualTo(new WindowCounts(true, 5, 0));
    assertThat(store.tryAcquire("k", 104, 0, 60_000, 10, 10)).isEqualTo(new WindowCounts(true, 0, 0));
  }

  @Test
  void adjustsTheWindowAPermitWasTakenFromAndNeverGoesBelowZero() {
    store.tryAcquire("k", 100, 0, 60_000, 5, 10);
    store.adjust("k", 100, 60_000, 3);
    assertThat(store.peek("k")).isEqualTo(new WindowCounts(false, 0, 8));
    store.tryAcquire("k", 101, 0, 60_000, 0, 10); // roll over
    store.adjust("k", 100, 60_000, -20);            // now the previous window
    assertThat(store.peek("k")).isEqualTo(new WindowCounts(false, 0, 0));
    store.adjust("k", 90, 60_000, 5);               // long gone: ignored
    assertThat(store.peek("k")).isEqualTo(new WindowCounts(false, 0, 0));
  }
}

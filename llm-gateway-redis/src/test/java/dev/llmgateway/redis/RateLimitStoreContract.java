package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ratelimit.RateLimitStore;
import dev.llmgateway.ratelimit.RateLimitStore.WindowCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The {@link RateLimitStore} contract (the middleware's {@code InMemoryRateLimitStoreTest}), on windows
 * numbered from now (a Redis window count expires at the start of window n + 2, by the server's clock),
 * run against the in-memory and the Redis store alike. Where the in-memory test peeks at the counts, this
 * one acquires zero permits, which reports them.
 */
abstract class RateLimitStoreContract {
  static final long MINUTE = 60_000;
  /** The window holding now: its counts do not expire during a test. */
  final long base = System.currentTimeMillis() / MINUTE;

  abstract RateLimitStore store();

  private WindowCounts peek(long window) {
    return store().tryAcquire("k", window, 0, MINUTE, 0, Long.MAX_VALUE / MINUTE);
  }

  @Test
  void addsPermitsWhileTheSlidingCountAllows() {
    assertThat(store().tryAcquire("k", base, 0, MINUTE, 6, 10)).isEqualTo(new WindowCounts(true, 0, 0));
    assertThat(store().tryAcquire("k", base, 10_000, MINUTE, 4, 10)).isEqualTo(new WindowCounts(true, 0, 6));
    assertThat(store().tryAcquire("k", base, 20_000, MINUTE, 1, 10)).isEqualTo(new WindowCounts(false, 0, 10));
  }

  @Test
  void theCurrentWindowBecomesThePreviousOneAndFades() {
    store().tryAcquire("k", base, 0, MINUTE, 10, 10);
    // next window, 30 s in: 10 x 30/60 = 5 still count, so 5 more fit and a sixth does not
    assertThat(store().tryAcquire("k", base + 1, 30_000, MINUTE, 5, 10)).isEqualTo(new WindowCounts(true, 10, 0));
    assertThat(store().tryAcquire("k", base + 1, 30_000, MINUTE, 1, 10).acquired()).isFalse();
    // two windows later nothing of the first window counts
    assertThat(store().tryAcquire("k", base + 2, 0, MINUTE, 5, 10)).isEqualTo(new WindowCounts(true, 5, 0));
    assertThat(store().tryAcquire("k", base + 4, 0, MINUTE, 10, 10)).isEqualTo(new WindowCounts(true, 0, 0));
  }

  @Test
  void adjustsTheWindowAPermitWasTakenFromAndNeverGoesBelowZero() {
    store().tryAcquire("k", base, 0, MINUTE, 5, 10);
    store().adjust("k", base, MINUTE, 3);
    assertThat(peek(base)).isEqualTo(new WindowCounts(true, 0, 8));
    assertThat(peek(base + 1)).isEqualTo(new WindowCounts(true, 8, 0)); // roll over
    store().adjust("k", base, MINUTE, -20);                               // now the previous window
    assertThat(peek(base + 1)).isEqualTo(new WindowCounts(true, 0, 0));
    store().adjust("k", base - 10, MINUTE, 5);                            // long gone: ignored
    assertThat(peek(base + 1)).isEqualTo(new WindowCounts(true, 0, 0));
  }

  @Test
  void keysAreCountedApart() {
    store().tryAcquire("k", base, 0, MINUTE, 10, 10);
    assertThat(store().tryAcquire("other", base, 0, MINUTE, 10, 10).acquired()).isTrue();
  }

  @Test
  void concurrentAcquiresGrantExactlyTheLimit() throws Exception {
    int threads = 32;
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 40; i++) {
            if (store().tryAcquire("k", base, 0, MINUTE, 1, 500).acquired()) {
              granted.incrementAndGet();
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
    assertThat(granted.get()).isEqualTo(500);
  }
}

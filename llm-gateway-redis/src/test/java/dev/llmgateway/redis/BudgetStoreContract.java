package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.budget.BudgetStore;
import dev.llmgateway.budget.BudgetStore.BudgetUsage;
import dev.llmgateway.budget.BudgetStore.Reservation;
import dev.llmgateway.budget.BudgetStore.ReserveResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The {@link BudgetStore} contract (the assertions of the middleware's {@code InMemoryBudgetStoreTest},
 * on real time instead of a moved clock), run against the in-memory and the Redis store alike. Expiries
 * are judged by each store's own clock (the system clock, Redis {@code TIME}); the two tests that need
 * time to pass set expiries a few hundred milliseconds ahead and await them.
 */
abstract class BudgetStoreContract {

  /** A store with nothing in it. */
  abstract BudgetStore store();

  private Instant in(Duration d) {
    return Instant.now().plus(d);
  }

  private Reservation reserve(String id, long amount, long limit) {
    ReserveResult result = store().tryReserve("k", id, amount, limit, in(Duration.ofMinutes(5)), null);
    assertThat(result).isInstanceOf(ReserveResult.Reserved.class);
    return ((ReserveResult.Reserved) result).reservation();
  }

  @Test
  void reservesWhatFitsAndDeniesWhatDoesNot() {
    reserve("a", 60, 100);
    reserve("b", 40, 100);
    ReserveResult denied = store().tryReserve("k", "c", 1, 100, in(Duration.ofMinutes(5)), null);
    assertThat(denied).isEqualTo(new ReserveResult.Denied(new BudgetUsage(0, 100)));
  }

  @Test
  void settlingReplacesTheReservationWithTheActualSpend() {
    Reservation a = reserve("a", 60, 100);
    assertThat(store().settle(a, 25, null)).isEqualTo(new BudgetUsage(25, 0));
    // settling twice spends twice but never releases twice
    assertThat(store().settle(a, 0, null)).isEqualTo(new BudgetUsage(25, 0));
    assertThat(store().release(reserve("b", 10, 100), null)).isEqualTo(new BudgetUsage(25, 0));
    assertThat(store().usage("k")).isEqualTo(new BudgetUsage(25, 0));
  }

  @Test
  void reservingAnIdAgainReplacesItsAmount() {
    reserve("a", 60, 100);
    reserve("a", 30, 100);
    assertThat(store().usage("k")).isEqualTo(new BudgetUsage(0, 30));
  }

  @Test
  void anExhaustedBudgetDeniesEvenAZeroEstimate() {
    store().add("k", 100, null);
    assertThat(store().tryReserve("k", "z", 0, 100, in(Duration.ofMinutes(5)), null))
        .isInstanceOf(ReserveResult.Denied.class);
    assertThat(store().tryReserve("k", "z", 0, 101, in(Duration.ofMinutes(5)), null))
        .isInstanceOf(ReserveResult.Reserved.class);
  }

  @Test
  void anUnsettledReservationStopsCountingWhenItExpires() {
    store().tryReserve("k", "lost", 90, 100, in(Duration.ofMillis(300)), null);
    assertThat(store().tryReserve("k", "x", 20, 100, in(Duration.ofMinutes(1)), null))
        .isInstanceOf(ReserveResult.Denied.class);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store().tryReserve("k", "x", 20, 100, in(Duration.ofMinutes(1)), null)
            instanceof ReserveResult.Reserved);
    assertThat(store().usage("k")).isEqualTo(new BudgetUsage(0, 20));
  }

  @Test
  void anExpiredReservationIsNotCountedByUsage() {
    store().tryReserve("k", "gone", 90, 100, in(Duration.ofMillis(-1)), null);
    assertThat(store().usage("k")).isEqualTo(BudgetUsage.ZERO);
  }

  @Test
  void aKeyPastItsExpiryStartsFromZero() {
    assertThat(store().add("k", 50, in(Duration.ofMillis(300)))).isEqualTo(new BudgetUsage(50, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> store().usage("k").equals(BudgetUsage.ZERO));
    assertThat(store().add("k", 5, null)).isEqualTo(new BudgetUsage(5, 0));
  }

  @Test
  void marksEachAlertOnce() {
    assertThat(store().markAlert("k", 80, null)).isTrue();
    assertThat(store().markAlert("k", 80, null)).isFalse();
    assertThat(store().markAlert("k", 100, null)).isTrue();
    assertThat(store().markAlert("other", 80, null)).isTrue();
  }

  @Test
  void amountsUpTo2To53AreExact() {
    long limit = (1L << 53) - 1;
    long big = 4_503_599_627_370_497L; // 2^52 + 1: 16 digits, more than Lua prints by default
    assertThat(store().add("k", big, null)).isEqualTo(new BudgetUsage(big, 0));
    Reservation r = reserve("a", 123_456_789_012_345L, limit);
    assertThat(store().usage("k")).isEqualTo(new BudgetUsage(big, 123_456_789_012_345L));
    assertThat(store().settle(r, 123_456_789_012_347L, null))
        .isEqualTo(new BudgetUsage(big + 123_456_789_012_347L, 0));
  }

  @Test
  void concurrentReservationsNeverExceedTheLimit() throws Exception {
    int threads = 32;
    int perThread = 50;
    long limit = 1000;
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            ReserveResult r = store().tryReserve("k", thread + "-" + i, 1, limit, in(Duration.ofMinutes(5)),
                in(Duration.ofHours(1)));
            if (r instanceof ReserveResult.Reserved reserved) {
              granted.incrementAndGet();
              if (i % 2 == 0) { // half settle at 1, half release: the total stays the limit
                store().settle(reserved.reservation(), 1, in(Duration.ofHours(1)));
              }
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
    assertThat(granted.get()).isEqualTo(limit);
    BudgetUsage usage = store().usage("k");
    assertThat(usage.spent() + usage.reserved()).isEqualTo(limit);
  }
}

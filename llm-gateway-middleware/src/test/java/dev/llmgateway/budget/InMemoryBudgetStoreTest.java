package dev.llmgateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.budget.BudgetStore.BudgetUsage;
import dev.llmgateway.budget.BudgetStore.Reservation;
import dev.llmgateway.budget.BudgetStore.ReserveResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

class InMemoryBudgetStoreTest {
  private final ManualClock clock = new ManualClock();
  private final InMemoryBudgetStore store = InMemoryBudgetStore.create(clock);

  private Instant in(Duration d) {
    return clock.instant().plus(d);
  }

  private Reservation reserve(String id, long amount, long limit) {
    ReserveResult result = store.tryReserve("k", id, amount, limit, in(Duration.ofMinutes(5)), null);
    assertThat(result).isInstanceOf(ReserveResult.Reserved.class);
    return ((ReserveResult.Reserved) result).reservation();
  }

  @Test
  void reservesWhatFitsAndDeniesWhatDoesNot() {
    reserve("a", 60, 100);
    reserve("b", 40, 100);
    ReserveResult denied = store.tryReserve("k", "c", 1, 100, in(Duration.ofMinutes(5)), null);
    assertThat(denied).isEqualTo(new ReserveResult.Denied(new BudgetUsage(0, 100)));
  }

  @Test
  void settlingReplacesTheReservationWithTheActualSpend() {
    Reservation a = reserve("a", 60, 100);
    assertThat(store.settle(a, 25, null)).isEqualTo(new BudgetUsage(25, 0));
    // settling twice spends twice but never releases twice
    assertThat(store.settle(a, 0, null)).isEqualTo(new BudgetUsage(25, 0));
    assertThat(store.release(reserve("b", 10, 100), null)).isEqualTo(new BudgetUsage(25, 0));
    assertThat(store.usage("k")).isEqualTo(new BudgetUsage(25, 0));
  }

  @Test
  void anExhaustedBudgetDeniesEvenAZeroEstimate() {
    store.add("k", 100, null);
    assertThat(store.tryReserve("k", "z", 0, 100, in(Duration.ofMinutes(5)), null))
        .isInstanceOf(ReserveResult.Denied.class);
    assertThat(store.tryReserve("k", "z", 0, 101, in(Duration.ofMinutes(5)), null))
        .isInstanceOf(ReserveResult.Reserved.class);
  }

  @Test
  void anUnsettledReservationStopsCountingWhenItExpires() {
    store.tryReserve("k", "lost", 90, 100, in(Duration.ofMinutes(1)), null);
    assertThat(store.tryReserve("k", "x", 20, 100, in(Duration.ofMinutes(1)), null))
        .isInstanceOf(ReserveResult.Denied.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.tryReserve("k", "x", 20, 100, in(Duration.ofMinutes(1)), null))
        .isInstanceOf(ReserveResult.Reserved.class);
    assertThat(store.usage("k")).isEqualTo(new BudgetUsage(0, 20));
  }

  @Test
  void aKeyPastItsExpiryStartsFromZero() {
    store.add("k", 50, in(Duration.ofHours(1)));
    clock.advance(Duration.ofHours(1));
    assertThat(store.usage("k")).isEqualTo(BudgetUsage.ZERO);
    assertThat(store.add("k", 5, null)).isEqualTo(new BudgetUsage(5, 0));
  }

  @Test
  void marksEachAlertOnce() {
    assertThat(store.markAlert("k", 80, null)).isTrue();
    assertThat(store.markAlert("k", 80, null)).isFalse();
    assertThat(store.markAlert("k", 100, null)).isTrue();
    assertThat(store.markAlert("other", 80, null)).isTrue();
  }
}

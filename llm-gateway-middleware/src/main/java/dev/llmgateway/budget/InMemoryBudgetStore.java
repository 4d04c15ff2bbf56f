package dev.llmgateway.budget;

import dev.llmgateway.gateway.internal.Check;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BudgetStore} in this JVM's memory: budgets are shared by every gateway in the process, not
 * across processes (use the Redis store for that). Each operation runs inside
 * {@link ConcurrentHashMap#compute} on its key, so it is atomic and no update is lost. Keys whose
 * expiry has passed are treated as new, and deleted every {@value #PURGE_EVERY} operations; reservations
 * past their expiry stop counting. Expiries are judged by the {@link Clock} given (the budget
 * interceptor's, so that tests can move time).
 */
public final class InMemoryBudgetStore implements BudgetStore {
  /** How many operations pass between sweeps for expired keys. */
  static final int PURGE_EVERY = 4096;

  private final Clock clock;
  private final ConcurrentHashMap<String, KeyState> states = new ConcurrentHashMap<>();
  private final AtomicLong operations = new AtomicLong();

  private InMemoryBudgetStore(Clock clock) {
    this.clock = Check.nonNull(clock, "clock");
  }

  /** A store judging expiries by {@code clock}. */
  public static InMemoryBudgetStore create(Clock clock) {
    return new InMemoryBudgetStore(clock);
  }

  /** A store judging expiries by the system clock (UTC). */
  public static InMemoryBudgetStore create() {
    return new InMemoryBudgetStore(Clock.systemUTC());
  }

  /** One key's counters; only ever touched inside {@code states.compute} for that key. */
  private static final class KeyState {
    long spent;
    long reserved;
    final Map<String, Reservation> reservations = new HashMap<>();
    final Set<Integer> alerts = new HashSet<>();
    @Nullable Instant expiresAt;

    void purge(Instant now) {
      Iterator<Reservation> it = reservations.values().iterator();
      while (it.hasNext()) {
        Reservation r = it.next();
        if (!r.expiresAt().isAfter(now)) {
          reserved -= r.amount();
          it.remove();
        }
      }
    }

    BudgetUsage usage() {
      return new BudgetUsage(spent, reserved);
    }

    void touch(@Nullable Instant keyExpiresAt) {
      expiresAt = keyExpiresAt;
    }
  }

  private KeyState live(@Nullable KeyState state, Instant now) {
    if (state == null || (state.expiresAt != null && !state.expiresAt.isAfter(now))) {
      return new KeyState();
    }
    state.purge(now);
    return state;
  }

  @Override
  public ReserveResult tryReserve(String key, String reservationId, long amount, long limit,
      Instant expiresAt, @Nullable Instant keyExpiresAt) {
    Check.that(amount >= 0, "amount must be >= 0, was " + amount);
    Instant now = clock.instant();
    ReserveResult[] result = new ReserveResult[1];
    states.compute(key, (k, existing) -> {
      KeyState state = live(existing, now);
      if (state.spent + state.reserved + Math.max(amount, 1) <= limit) {
        Reservation reservation = new Reservation(key, reservationId, amount, expiresAt);
        Reservation previous = state.reservations.put(reservationId, reservation);
        if (previous != null) {
          state.reserved -= previous.amount();
        }
        state.reserved += amount;
        state.touch(keyExpiresAt);
        result[0] = new ReserveResult.Reserved(reservation);
      } else {
        result[0] = new ReserveResult.Denied(state.usage());
      }
      return state;
    });
    maybePurge(now);
    return result[0];
  }

  @Override
  public BudgetUsage settle(Reservation reservation, long actual, @Nullable Instant keyExpiresAt) {
    Check.that(actual >= 0, "actual must be >= 0, was " + actual);
    Instant now = clock.instant();
    BudgetUsage[] result = new BudgetUsage[1];
    states.compute(reservation.key(), (k, existing) -> {
      KeyState state = live(existing, now);
      Reservation held = state.reservations.remove(reservation.id());
      if (held != null) {
        state.reserved -= held.amount();
      }
      state.spent += actual;
      state.touch(keyExpiresAt);
      result[0] = state.usage();
      return state;
    });
    maybePurge(now);
    return result[0];
  }

  @Override
  public BudgetUsage add(String key, long amount, @Nullable Instant keyExpiresAt) {
    Check.that(amount >= 0, "amount must be >= 0, was " + amount);
    Instant now = clock.instant();
    BudgetUsage[] result = new BudgetUsage[1];
    states.compute(key, (k, existing) -> {
      KeyState state = live(existing, now);
      state.spent += amount;
      state.touch(keyExpiresAt);
      result[0] = state.usage();
      return state;
    });
    maybePurge(now);
    return result[0];
  }

  @Override
  public BudgetUsage usage(String key) {
    Instant now = clock.instant();
    BudgetUsage[] result = {BudgetUsage.ZERO};
    states.computeIfPresent(key, (k, existing) -> {
      KeyState state = live(existing, now);
      result[0] = state.usage();
      return state;
    });
    return result[0];
  }

  @Override
  public boolean markAlert(String key, int percent, @Nullable Instant keyExpiresAt) {
    Instant now = clock.instant();
    boolean[] first = new boolean[1];
    states.compute(key, (k, existing) -> {
      KeyState state = live(existing, now);
      first[0] = state.alerts.add(percent);
      state.touch(keyExpiresAt);
      return state;
    });
    return first[0];
  }

  /** How many keys are held (expired ones until the next sweep). */
  public int size() {
    return states.size();
  }

  private void maybePurge(Instant now) {
    if (operations.incrementAndGet() % PURGE_EVERY != 0) {
      return;
    }
    for (String key : states.keySet()) {
      states.computeIfPresent(key, (k, s) -> s.expiresAt != null && !s.expiresAt.isAfter(now) ? null : s);
    }
  }

  @Override
  public String toString() {
    return "InMemoryBudgetStore[" + states.size() + " keys]";
  }
}

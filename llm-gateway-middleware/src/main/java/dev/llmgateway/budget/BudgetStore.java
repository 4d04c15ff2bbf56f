package dev.llmgateway.budget;

import dev.llmgateway.gateway.internal.Check;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The counters behind budgets: per key, what was spent, what is reserved by calls in flight, and which
 * alerts fired. {@link InMemoryBudgetStore} is the default; the {@code llm-gateway-redis} module
 * implements the same contract so that many application instances share one budget.
 *
 * <p><b>Every mutating method is one atomic step</b>, so that an implementation can be a single Redis Lua
 * script per method, and concurrent calls from any number of threads or instances never lose an update
 * or overspend a limit by more than the reservations allow.
 *
 * <p><b>Units</b>: amounts and limits are whole numbers chosen by the {@link Budget}: tokens, or money in
 * units of 10<sup>-moneyScale</sup> of the currency (micro-units by default). All stay below 2<sup>53</sup>
 * so that Lua's doubles hold them exactly; a script should still do its arithmetic on integers (e.g.
 * {@code tonumber} of {@code HGET} results, {@code HINCRBY}).
 *
 * <p><b>Keys</b> are {@code budgetId/subject/period}, e.g. {@code acme-monthly/acme/2025-06}
 * ({@link Budget#storeKey}); a store may prefix them. <b>Expiry</b>: every mutating call passes the
 * instant after which the key may be deleted (the end of its period plus a retention; null never, for
 * total budgets); a Redis store sets it with {@code PEXPIREAT} on every key it touches.
 *
 * <p><b>Reservations</b> expire too: a reservation not settled or released by its {@code expiresAt}
 * (its call's instance died, or a stream was abandoned without being closed) no longer counts as reserved;
 * {@link #tryReserve} drops expired reservations of its key before deciding. A Redis layout that does
 * this in one script: a hash {@code key} with fields {@code spent} and {@code reserved}, a hash
 * {@code key:res} of reservation id to amount, a sorted set {@code key:exp} of reservation id by expiry
 * (milliseconds), and a set {@code key:alerts}; the script compares expiries with Redis {@code TIME}.
 */
public interface BudgetStore {

  /**
   * Reserves {@code amount} under {@code key} when it fits: first drops the key's expired reservations;
   * then grants when {@code spent + reserved + max(amount, 1) <= limit} (so an exhausted budget refuses
   * even a call estimated at nothing), adding {@code amount} to {@code reserved} and remembering the
   * reservation under {@code reservationId} until {@code expiresAt}.
   *
   * @return the reservation, or {@link ReserveResult.Denied} with the key's usage after the purge
   */
  ReserveResult tryReserve(String key, String reservationId, long amount, long limit, Instant expiresAt,
      @Nullable Instant keyExpiresAt);

  /**
   * Ends {@code reservation}: removes it (if it is still held; an expired one was already dropped) and
   * adds {@code actual} to the key's {@code spent}, in one step.
   *
   * @return the key's usage afterwards
   */
  BudgetUsage settle(Reservation reservation, long actual, @Nullable Instant keyExpiresAt);

  /** Removes {@code reservation} without spending anything; the same as {@code settle(reservation, 0)}. */
  default BudgetUsage release(Reservation reservation, @Nullable Instant keyExpiresAt) {
    return settle(reservation, 0, keyExpiresAt);
  }

  /** Adds {@code amount} to the key's {@code spent} without a reservation (soft budgets). */
  BudgetUsage add(String key, long amount, @Nullable Instant keyExpiresAt);

  /** The key's usage now; zero for a key never used (or expired). Read-only. */
  BudgetUsage usage(String key);

  /**
   * Marks the alert at {@code percent} of the key as fired.
   *
   * @return true only for the first call with this key and percent (a Redis {@code SADD} that added)
   */
  boolean markAlert(String key, int percent, @Nullable Instant keyExpiresAt);

  /**
   * A granted reservation.
   *
   * @param key the budget key
   * @param id unique per reservation (e.g. the call id with the budget id)
   * @param amount the units reserved
   * @param expiresAt when it stops counting if never settled
   */
  record Reservation(String key, String id, long amount, Instant expiresAt) {
    public Reservation {
      Check.nonBlank(key, "reservation.key");
      Check.nonBlank(id, "reservation.id");
      Check.that(amount >= 0, "reservation.amount must be >= 0, was " + amount);
      Check.nonNull(expiresAt, "reservation.expiresAt");
    }
  }

  /**
   * A key's counters.
   *
   * @param spent units spent (settled and added)
   * @param reserved units held by unexpired reservations
   */
  record BudgetUsage(long spent, long reserved) {
    /** Nothing spent or reserved. */
    public static final BudgetUsage ZERO = new BudgetUsage(0, 0);

    public BudgetUsage {
      Check.that(spent >= 0 && reserved >= 0, "budget usage must not be negative");
    }
  }

  /** What {@link #tryReserve} answered. */
  sealed interface ReserveResult {
    /** The amount fitted and is now reserved. */
    record Reserved(Reservation reservation) implements ReserveResult {}

    /** The amount did not fit; {@code usage} is the key's counters when it was refused. */
    record Denied(BudgetUsage usage) implements ReserveResult {}
  }
}

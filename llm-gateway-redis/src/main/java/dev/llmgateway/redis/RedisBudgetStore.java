package dev.llmgateway.redis;

import dev.llmgateway.budget.BudgetStore;
import dev.llmgateway.budget.InMemoryBudgetStore;
import dev.llmgateway.redis.internal.LuaScript;
import dev.llmgateway.redis.internal.Outage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BudgetStore} on a Redis server, so that every instance of an application sharing the server
 * shares one budget. Each mutating method is one Lua script ({@code EVALSHA}, falling back to
 * {@code EVAL} when the server lost its script cache), so concurrent calls from any number of threads and
 * instances never lose an update; reservation expiry is judged by the server's clock ({@code TIME}).
 *
 * <p><b>Keys</b>, for a budget key {@code K} ({@code budgetId/subject/period}) and the prefix
 * {@code P} ({@link #DEFAULT_KEY_PREFIX} by default): {@code P budget:{K}} a hash of {@code spent} and
 * {@code reserved}; {@code P budget:{K}:res} reservation id to amount; {@code P budget:{K}:exp} a sorted
 * set of reservation ids by expiry (epoch ms); {@code P budget:{K}:alerts} a set of alert percents. The
 * {@code {K}} hash tag keeps them in one Redis Cluster slot. Every mutating script sets the expiry the
 * caller passes on all four with {@code PEXPIREAT} (or {@code PERSIST} for none).
 *
 * <p><b>Failures</b>: while Redis cannot be reached the store follows its {@link RedisFailureMode}
 * ({@link #DEFAULT_FAILURE_MODE} by default). Failing open, it counts in its fallback store (an
 * {@link InMemoryBudgetStore} by default) until Redis answers again; a reservation taken there is settled
 * in Redis once Redis is back (its actual cost counted in the shared budget) and released locally.
 *
 * <p>The store does not own the connection: close it (and its client) yourself. Use
 * {@link RedisOptions#clientOptions()} on the client so that an outage is noticed at once rather than
 * after Lettuce's 60-second default timeout. Thread-safe.
 */
public final class RedisBudgetStore implements BudgetStore {
  /** The prefix of every key: {@value}. */
  public static final String DEFAULT_KEY_PREFIX = "llmgw:";
  /** What the store does while Redis cannot be reached: refuse ({@link RedisFailureMode#FAIL_CLOSED}). */
  public static final RedisFailureMode DEFAULT_FAILURE_MODE = RedisFailureMode.FAIL_CLOSED;

  private static final LuaScript RESERVE = LuaScript.load("budget-common", "budget-reserve");
  private static final LuaScript SETTLE = LuaScript.load("budget-common", "budget-settle");
  private static final LuaScript ADD = LuaScript.load("budget-common", "budget-add");
  private static final LuaScript USAGE = LuaScript.load("budget-common", "budget-usage");
  private static final LuaScript ALERT = LuaScript.load("budget-common", "budget-alert");

  private final RedisCommands<String, String> redis;
  private final String keyPrefix;
  private final RedisFailureMode failureMode;
  private final BudgetStore fallback;
  private final Outage outage;
  /** Reservations taken in the fallback during an outage ("key\u0000id"), to release there too. */
  private final Set<String> localReservations = ConcurrentHashMap.newKeySet();

  private RedisBudgetStore(Builder b) {
    this.redis = b.connection.sync();
    this.keyPrefix = b.keyPrefix;
    this.failureMode = b.failureMode;
    this.fallback = b.fallback != null ? b.fallback : InMemoryBudgetStore.create();
    this.outage = new Outage("Redis budget store", failureMode);
  }

  /** A builder over {@code connection}, which the caller keeps owning. */
  public static Builder builder(StatefulRedisConnection<String, String> connection) {
    return new Builder(connection);
  }

  /** A store with the defaults over {@code connection}. */
  public static RedisBudgetStore create(StatefulRedisConnection<String, String> connection) {
    return builder(connection).build();
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public RedisFailureMode failureMode() {
    return failureMode;
  }

  /** The store counting while Redis is unreachable and the mode is {@link RedisFailureMode#FAIL_OPEN}. */
  public BudgetStore fallback() {
    return fallback;
  }

  /** Whether the last operation found Redis unreachable (and none has reached it since). */
  public boolean isDegraded() {
    return outage.isDown();
  }

  @Override
  public ReserveResult tryReserve(String key, String reservationId, long amount, long limit,
      Instant expiresAt, @Nullable Instant keyExpiresAt) {
    requireNonNegative(amount, "amount");
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    return outage.call("tryReserve", () -> {
      List<Long> r = RESERVE.run(redis, ScriptOutputType.MULTI, keys(key), reservationId,
          Long.toString(amount), Long.toString(limit), Long.toString(expiresAt.toEpochMilli()),
          expiry(keyExpiresAt));
      return r.get(0) == 1L
          ? new ReserveResult.Reserved(new Reservation(key, reservationId, amount, expiresAt))
          : new ReserveResult.Denied(new BudgetUsage(r.get(1), r.get(2)));
    }, () -> {
      ReserveResult local = fallback.tryReserve(key, reservationId, amount, limit, expiresAt,
          keyExpiresAt);
      if (local instanceof ReserveResult.Reserved) {
        localReservations.add(key + '\u0000' + reservationId);
      }
      return local;
    });
  }

  @Override
  public BudgetUsage settle(Reservation reservation, long actual, @Nullable Instant keyExpiresAt) {
    requireNonNegative(actual, "actual");
    String local = reservation.key() + '\u0000' + reservation.id();
    return outage.call("settle", () -> {
      BudgetUsage usage = toUsage(SETTLE.run(redis, ScriptOutputType.MULTI, keys(reservation.key()),
          reservation.id(), Long.toString(actual), expiry(keyExpiresAt)));
      if (localReservations.remove(local)) {
        fallback.release(reservation, keyExpiresAt); // taken during an outage; its cost went to Redis
      }
      return usage;
    }, () -> {
      localReservations.remove(local);
      return fallback.settle(reservation, actual, keyExpiresAt);
    });
  }

  @Override
  public BudgetUsage add(String key, long amount, @Nullable Instant keyExpiresAt) {
    requireNonNegative(amount, "amount");
    return outage.call("add", () -> toUsage(ADD.run(redis, ScriptOutputType.MULTI, keys(key),
        Long.toString(amount), expiry(keyExpiresAt))), () -> fallback.add(key, amount, keyExpiresAt));
  }

  @Override
  public BudgetUsage usage(String key) {
    return outage.call("usage", () -> toUsage(USAGE.run(redis, ScriptOutputType.MULTI, keys(key))),
        () -> fallback.usage(key));
  }

  @Override
  public boolean markAlert(String key, int percent, @Nullable Instant keyExpiresAt) {
    return outage.call("markAlert", () -> {
      Long added = ALERT.run(redis, ScriptOutputType.INTEGER, keys(key), Integer.toString(percent),
          expiry(keyExpiresAt));
      return added == 1L;
    }, () -> fallback.markAlert(key, percent, keyExpiresAt));
  }

  /** The four Redis keys of budget key {@code key}, in the scripts' order. */
  String[] keys(String key) {
    Objects.requireNonNull(key, "key");
    String base = keyPrefix + "budget:{" + key + "}";
    return new String[] {base, base + ":res", base + ":exp", base + ":alerts"};
  }

  private static BudgetUsage toUsage(List<Long> r) {
    return new BudgetUsage(r.get(0), r.get(1));
  }

  private static String expiry(@Nullable Instant at) {
    return at == null ? "" : Long.toString(at.toEpochMilli());
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }

  @Override
  public String toString() {
    return "RedisBudgetStore[prefix=" + keyPrefix + ", " + failureMode + (isDegraded() ? ", degraded" : "")
        + "]";
  }

  /** Settings of a {@link RedisBudgetStore}. */
  public static final class Builder {
    private final StatefulRedisConnection<String, String> connection;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private RedisFailureMode failureMode = DEFAULT_FAILURE_MODE;
    private @Nullable BudgetStore fallback;

    private Builder(StatefulRedisConnection<String, String> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * Put before every key, e.g. to keep two gateways' budgets apart on one server. Defaults to
     * {@link #DEFAULT_KEY_PREFIX} ({@code llmgw:}).
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /** What to do while Redis cannot be reached. Defaults to {@link #DEFAULT_FAILURE_MODE} (fail closed). */
    public Builder failureMode(RedisFailureMode failureMode) {
      this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
      return this;
    }

    /**
     * Where to count while Redis cannot be reached, failing open. Defaults to a new
     * {@link InMemoryBudgetStore} on the system clock.
     */
    public Builder fallback(BudgetStore fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    public RedisBudgetStore build() {
      return new RedisBudgetStore(this);
    }
  }
}

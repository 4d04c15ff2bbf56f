package dev.llmgateway.redis;

import dev.llmgateway.ratelimit.InMemoryRateLimitStore;
import dev.llmgateway.ratelimit.RateLimitStore;
import dev.llmgateway.redis.internal.LuaScript;
import dev.llmgateway.redis.internal.Outage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RateLimitStore} on a Redis server, so that every instance sharing the server shares one limit.
 * {@link #tryAcquire} and {@link #adjust} are one Lua script each ({@code EVALSHA}, {@code EVAL} when the
 * server lost its script cache).
 *
 * <p><b>Keys</b>, for a limit key {@code K} ({@code limitName/requests|tokens/key}) and prefix {@code P}
 * ({@link #DEFAULT_KEY_PREFIX} by default): window {@code n}'s count is a string {@code P rate:{K}:n},
 * expiring ({@code PEXPIREAT}) at the start of window {@code n + 2}, when it no longer counts as the
 * previous window. The {@code {K}} hash tag keeps a key's windows in one Redis Cluster slot. Windows are
 * numbered by the callers' clocks, so instances must keep their clocks in sync (NTP).
 *
 * <p><b>Failures</b>: while Redis cannot be reached the store follows its {@link RedisFailureMode}
 * ({@link #DEFAULT_FAILURE_MODE} by default); failing open, it counts in its fallback (an
 * {@link InMemoryRateLimitStore} by default), so each instance then enforces the limit alone.
 *
 * <p>The store does not own the connection. Thread-safe.
 */
public final class RedisRateLimitStore implements RateLimitStore {
  /** The prefix of every key: {@value}. */
  public static final String DEFAULT_KEY_PREFIX = "llmgw:";
  /** What the store does while Redis cannot be reached: refuse ({@link RedisFailureMode#FAIL_CLOSED}). */
  public static final RedisFailureMode DEFAULT_FAILURE_MODE = RedisFailureMode.FAIL_CLOSED;

  private static final LuaScript ACQUIRE = LuaScript.load("ratelimit-acquire");
  private static final LuaScript ADJUST = LuaScript.load("ratelimit-adjust");

  private final RedisCommands<String, String> redis;
  private final String keyPrefix;
  private final RedisFailureMode failureMode;
  private final RateLimitStore fallback;
  private final Outage outage;

  private RedisRateLimitStore(Builder b) {
    this.redis = b.connection.sync();
    this.keyPrefix = b.keyPrefix;
    this.failureMode = b.failureMode;
    this.fallback = b.fallback != null ? b.fallback : InMemoryRateLimitStore.create();
    this.outage = new Outage("Redis rate-limit store", failureMode);
  }

  /** A builder over {@code connection}, which the caller keeps owning. */
  public static Builder builder(StatefulRedisConnection<String, String> connection) {
    return new Builder(connection);
  }

  /** A store with the defaults over {@code connection}. */
  public static RedisRateLimitStore create(StatefulRedisConnection<String, String> connection) {
    return builder(connection).build();
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public RedisFailureMode failureMode() {
    return failureMode;
  }

  /** The store counting while Redis is unreachable and the mode is {@link RedisFailureMode#FAIL_OPEN}. */
  public RateLimitStore fallback() {
    return fallback;
  }

  /** Whether the last operation found Redis unreachable (and none has reached it since). */
  public boolean isDegraded() {
    return outage.isDown();
  }

  @Override
  public WindowCounts tryAcquire(String key, long windowIndex, long elapsedMillis, long windowMillis,
      long permits, long limit) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must be >= 0, was " + permits);
    }
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("windowMillis must be > 0, was " + windowMillis);
    }
    return outage.call("tryAcquire", () -> {
      List<Long> r = ACQUIRE.run(redis, ScriptOutputType.MULTI,
          new String[] {windowKey(key, windowIndex), windowKey(key, windowIndex - 1)},
          Long.toString(elapsedMillis), Long.toString(windowMillis), Long.toString(permits),
          Long.toString(limit), Long.toString((windowIndex + 2) * windowMillis));
      return new WindowCounts(r.get(0) == 1L, r.get(1), r.get(2));
    }, () -> fallback.tryAcquire(key, windowIndex, elapsedMillis, windowMillis, permits, limit));
  }

  @Override
  public void adjust(String key, long windowIndex, long windowMillis, long delta) {
    outage.call("adjust", () -> {
      ADJUST.run(redis, ScriptOutputType.INTEGER, new String[] {windowKey(key, windowIndex)},
          Long.toString(delta));
      return null;
    }, () -> {
      fallback.adjust(key, windowIndex, windowMillis, delta);
      return null;
    });
  }

  /** The Redis key of window {@code windowIndex} of {@code key}. */
  String windowKey(String key, long windowIndex) {
    return keyPrefix + "rate:{" + Objects.requireNonNull(key, "key") + "}:" + windowIndex;
  }

  @Override
  public String toString() {
    return "RedisRateLimitStore[prefix=" + keyPrefix + ", " + failureMode
        + (isDegraded() ? ", degraded" : "") + "]";
  }

  /** Settings of a {@link RedisRateLimitStore}. */
  public static final class Builder {
    private final StatefulRedisConnection<String, String> connection;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private RedisFailureMode failureMode = DEFAULT_FAILURE_MODE;
    private @Nullable RateLimitStore fallback;

    private Builder(StatefulRedisConnection<String, String> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** Put before every key. Defaults to {@link #DEFAULT_KEY_PREFIX} ({@code llmgw:}). */
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
     * {@link InMemoryRateLimitStore}.
     */
    public Builder fallback(RateLimitStore fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    public RedisRateLimitStore build() {
      return new RedisRateLimitStore(this);
    }
  }
}

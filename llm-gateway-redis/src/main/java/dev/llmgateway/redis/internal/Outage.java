package dev.llmgateway.redis.internal;

import dev.llmgateway.error.StateStoreUnavailableException;
import dev.llmgateway.redis.RedisFailureMode;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store operation on Redis and applies the {@link RedisFailureMode} when the server cannot be
 * reached: refuse, or run the local fallback. Logs a warning once when an outage starts and once when
 * Redis answers again, never per call.
 */
public final class Outage {
  private static final Logger LOG = LoggerFactory.getLogger(Outage.class);
  /** Error replies that mean "not available right now" rather than a bug in a script. */
  private static final String[] UNAVAILABLE_REPLIES = {
      "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "READONLY"};

  private final String store;
  private final RedisFailureMode mode;
  private final boolean anyErrorIsOutage;
  private final AtomicBoolean down = new AtomicBoolean();

  public Outage(String store, RedisFailureMode mode) {
    this(store, mode, false);
  }

  /**
   * With {@code anyErrorIsOutage}, every error reply (out of memory, no permission, a wrong type under a
   * key) is treated like an unreachable server rather than thrown: for state whose loss only makes the
   * gateway less informed (shared cooldowns), never wrong, so no Redis reply may fail a call.
   */
  public Outage(String store, RedisFailureMode mode, boolean anyErrorIsOutage) {
    this.store = store;
    this.mode = mode;
    this.anyErrorIsOutage = anyErrorIsOutage;
  }

  /** Whether the last operation found Redis unreachable (and no later one reached it). */
  public boolean isDown() {
    return down.get();
  }

  /**
   * {@code redis}'s answer; when Redis cannot be reached, {@code fallback}'s (fail open) or a
   * {@link StateStoreUnavailableException} (fail closed).
   */
  public <T> T call(String operation, Supplier<T> redis, Supplier<T> fallback) {
    T result;
    try {
      result = redis.get();
    } catch (RedisException e) {
      if (!anyErrorIsOutage && !isUnavailable(e)) {
        throw new IllegalStateException(store + ": Redis rejected " + operation + ": " + e.getMessage(), e);
      }
      if (down.compareAndSet(false, true)) {
        LOG.warn("{}: Redis unavailable ({}); {} until it answers again", store, e.getMessage(),
            mode == RedisFailureMode.FAIL_OPEN
                ? "counting in this instance's memory only (fail open)"
                : "refusing calls (fail closed)");
      }
      if (mode == RedisFailureMode.FAIL_CLOSED) {
        throw new StateStoreUnavailableException(
            store + " unavailable: Redis cannot be reached, the call is refused (fail closed)",
            dev.llmgateway.error.ErrorContext.EMPTY, e);
      }
      return fallback.get();
    }
    if (down.get() && down.compareAndSet(true, false)) {
      LOG.warn("{}: Redis answers again; counting in Redis", store);
    }
    return result;
  }

  static boolean isUnavailable(RedisException e) {
    if (e instanceof RedisCommandExecutionException) {
      String message = String.valueOf(e.getMessage());
      for (String reply : UNAVAILABLE_REPLIES) {
        if (message.startsWith(reply)) {
          return true;
        }
      }
      return false;
    }
    return true; // connection refused or lost, commands rejected while disconnected, timeouts
  }

  @Override
  public String toString() {
    return "Outage[" + store + ", " + mode + (down.get() ? ", down" : "") + "]";
  }
}

package dev.llmgateway.redis;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.redis.internal.LuaScript;
import dev.llmgateway.redis.internal.Outage;
import dev.llmgateway.routing.CooldownHealth;
import dev.llmgateway.routing.DeploymentHealth;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The router's cooldowns ({@link CooldownHealth}'s rules) shared by every instance on one Redis server:
 * a deployment that fails or is rate limited on one instance is taken out of rotation on all of them.
 *
 * <pre>{@code
 * DeploymentHealth health = RedisCooldownHealth.builder(connection)   // RedisOptions.clientOptions()
 *     .failureThreshold(3).cooldown(Duration.ofSeconds(30)).refreshInterval(Duration.ofSeconds(1))
 *     .build();
 * LlmGateway.builder().modelGroup(group).routing(router -> router.health(health))...
 * }</pre>
 *
 * <p><b>Rules</b>, as {@link CooldownHealth}'s, with the same classification of failures
 * ({@link CooldownHealth#isDeploymentFault}): a {@link RateLimitedException} cools the deployment down at
 * once for its {@code retryAfter} capped at {@code maxRetryAfter} (or for {@code cooldown}); the
 * {@code failureThreshold}-th consecutive failure that is the deployment's fault cools it down for
 * {@code cooldown}; after a cooldown the deployment is on probation, when one failure cools it down again
 * and a success clears its record. A cooldown is never shortened.
 *
 * <p><b>What is shared</b>, under the key prefix {@code P} ({@link #DEFAULT_KEY_PREFIX} by default), for a
 * deployment id {@code D}: a string {@code P cooldown:{D}} holding the end of its cooldown (epoch
 * milliseconds of the routers' clocks), expiring ({@code PX}) when the cooldown does; and a hash
 * {@code P failures:{D}} with the consecutive-failure count and the end of the latest cooldown (which
 * makes probation fleet-wide), expiring {@code cooldown} after the later of the last failure and that
 * end. Each failure that is the deployment's fault updates both in one Lua script. The {@code {D}} hash
 * tag keeps both in one Redis Cluster slot. Instances must keep their clocks in sync (NTP): each judges
 * a cooldown's end with its own clock.
 *
 * <p><b>Approximations.</b>
 * <ul>
 *   <li>Staleness: {@link #isAvailable} and {@link #retryAfter} read a local snapshot of the shared
 *       cooldowns, refreshed at most once per {@code refreshInterval} of the router's clock (and at once
 *       when a deployment is asked about for the first time). A cooldown another instance set is seen
 *       here within {@code refreshInterval}; one this instance set applies here at once.
 *   <li>"Consecutive" is fleet-wide, but a success resets the shared count only when this instance has
 *       reason to believe a count exists: it recorded a failure of the deployment since its last reset,
 *       or saw the deployment cool down and it is now on probation. A success on an instance that saw
 *       neither does not reset the count, so failures interleaved with such successes may reach the
 *       threshold where {@link CooldownHealth} would not.
 *   <li>A count, or a probation, that sees no failure for {@code cooldown} (after the cooldown's end)
 *       expires; {@link CooldownHealth} keeps them until a success.
 *   <li>A success resets the count and ends a probation but does not end a cooldown in progress (that
 *       cooldown was set by another call, perhaps on another instance, with a {@code retry-after} that
 *       still holds); {@link CooldownHealth} clears the whole record.
 * </ul>
 *
 * <p><b>Costs.</b> {@link #tryAcquire} and {@link #release} never touch Redis. {@link #isAvailable} and
 * {@link #retryAfter} cost one {@code MGET} of the known deployments' cooldown keys per
 * {@code refreshInterval}, made by whichever call finds the snapshot due (the others use the snapshot
 * meanwhile). A failure that is the deployment's fault costs one script; a success costs nothing unless
 * it resets a count as above (one {@code DEL}).
 *
 * <p><b>Failures</b>: a Redis outage never fails a call, and neither does any error reply (out of memory,
 * no permission: shared cooldowns only inform routing). While Redis cannot be reached the instance falls
 * back on its own in-memory {@link CooldownHealth} (same settings, fed with every outcome all along, so
 * it holds this instance's recent history), together with the last snapshot of the shared cooldowns; a
 * warning is logged once when the outage starts and once when Redis answers again. What happened during
 * the outage is not written back to Redis, but a cooldown this instance decided while Redis would not
 * take it lasts here to its end. Use {@link RedisOptions#clientOptions()} on the client so that
 * an outage is noticed at once; a Redis that hangs delays the one call that refreshes, up to the command
 * timeout, once per {@code refreshInterval}.
 *
 * <p>The health does not own the connection. Thread-safe.
 */
public final class RedisCooldownHealth implements DeploymentHealth {
  /** The prefix of every key: {@value}. */
  public static final String DEFAULT_KEY_PREFIX = "llmgw:health:";
  /** Consecutive failures that cool a deployment down: {@link CooldownHealth#DEFAULT_FAILURE_THRESHOLD}. */
  public static final int DEFAULT_FAILURE_THRESHOLD = CooldownHealth.DEFAULT_FAILURE_THRESHOLD;
  /** How long a deployment cools down after repeated failures: {@link CooldownHealth#DEFAULT_COOLDOWN}. */
  public static final Duration DEFAULT_COOLDOWN = CooldownHealth.DEFAULT_COOLDOWN;
  /**
   * The longest cooldown a provider's {@code retry-after} may impose:
   * {@link CooldownHealth#DEFAULT_MAX_RETRY_AFTER}.
   */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = CooldownHealth.DEFAULT_MAX_RETRY_AFTER;
  /** How stale the snapshot of the shared cooldowns may get: 1 second. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

  private static final LuaScript FAILURE = LuaScript.load("health-failure");

  private final RedisCommands<String, String> redis;
  private final String keyPrefix;
  private final int failureThreshold;
  private final Duration cooldown;
  private final Duration maxRetryAfter;
  private final Duration refreshInterval;
  private final long refreshMillis;
  private final CooldownHealth local;
  // Any Redis error is an outage here: shared cooldowns only inform routing, so no reply may fail a call.
  private final Outage outage = new Outage("Redis cooldown health", RedisFailureMode.FAIL_OPEN, true);

  /** Every deployment asked about or reported on: the ones a refresh reads. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  /** The latest cooldown end (epoch ms) seen per deployment, from Redis or set here; kept on probation. */
  private final ConcurrentHashMap<String, Long> seenUntil = new ConcurrentHashMap<>();
  /** Deployments with a failure counted in Redis by this instance since its last reset. */
  private final Set<String> counted = ConcurrentHashMap.newKeySet();
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile boolean stale = true;
  private volatile long refreshedAt;

  private RedisCooldownHealth(Builder b) {
    this.redis = b.connection.sync();
    this.keyPrefix = b.keyPrefix;
    this.failureThreshold = b.failureThreshold;
    this.cooldown = b.cooldown;
    this.maxRetryAfter = b.maxRetryAfter;
    this.refreshInterval = b.refreshInterval;
    this.refreshMillis = b.refreshInterval.toMillis();
    this.local = b.local.build();
  }

  /** A builder over {@code connection}, which the caller keeps owning. */
  public static Builder builder(StatefulRedisConnection<String, String> connection) {
    return new Builder(connection);
  }

  /** Shared cooldowns with every default over {@code connection}. */
  public static RedisCooldownHealth create(StatefulRedisConnection<String, String> connection) {
    return builder(connection).build();
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public int failureThreshold() {
    return failureThreshold;
  }

  public Duration cooldown() {
    return cooldown;
  }

  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  public Duration refreshInterval() {
    return refreshInterval;
  }

  /** Whether the last Redis operation found Redis unreachable (and none has reached it since). */
  public boolean isDegraded() {
    return outage.isDown();
  }

  @Override
  public boolean isAvailable(String deploymentId, Instant now) {
    return retryAfter(deploymentId, now) == null;
  }

  @Override
  public @Nullable Duration retryAfter(String deploymentId, Instant now) {
    refreshIfDue(deploymentId, now);
    long nowMillis = now.toEpochMilli();
    Long until = seenUntil.get(deploymentId);
    Duration shared = until != null && nowMillis < until ? Duration.ofMillis(until - nowMillis) : null;
    if (!outage.isDown()) {
      return shared;
    }
    Duration own = local.retryAfter(deploymentId, now);
    return own == null || (shared != null && shared.compareTo(own) >= 0) ? shared : own;
  }

  @Override
  public void recordSuccess(String deploymentId, Instant now) {
    local.recordSuccess(deploymentId, now);
    boolean hadCount = counted.remove(deploymentId);
    Long until = seenUntil.get(deploymentId);
    boolean onProbation = until != null && now.toEpochMilli() >= until;
    if (!hadCount && !onProbation) {
      return;
    }
    boolean reset = !outage.isDown() && outage.call("recordSuccess", () -> {
      redis.del(recordKey(deploymentId));
      return true;
    }, () -> false);
    if (!reset) {
      if (hadCount) {
        counted.add(deploymentId); // reset later, when Redis answers again
      }
      return;
    }
    if (onProbation) {
      seenUntil.remove(deploymentId, until);
    }
  }

  @Override
  public void recordFailure(String deploymentId, LlmException error, Instant now) {
    local.recordFailure(deploymentId, error, now);
    if (!CooldownHealth.isDeploymentFault(error)) {
      return;
    }
    known.add(deploymentId);
    long rateWait = -1;
    if (error instanceof RateLimitedException) {
      Duration retryAfter = error.retryAfter();
      rateWait = (retryAfter == null ? cooldown
          : retryAfter.compareTo(maxRetryAfter) <= 0 ? retryAfter : maxRetryAfter).toMillis();
      rateWait = Math.max(0, rateWait);
    }
    long wait = rateWait;
    List<Long> result = outage.call("recordFailure", () -> FAILURE.run(redis, ScriptOutputType.MULTI,
        new String[] {cooldownKey(deploymentId), recordKey(deploymentId)},
        Long.toString(now.toEpochMilli()), Long.toString(wait), Integer.toString(failureThreshold),
        Long.toString(cooldown.toMillis())), () -> null);
    if (result == null) {
      // Redis did not take it: a cooldown this instance decided alone still applies here, until it ends,
      // even when Redis answers reads again before then.
      Duration own = local.retryAfter(deploymentId, now);
      if (own != null) {
        seenUntil.merge(deploymentId, now.plus(own).toEpochMilli(), Math::max);
      }
      return;
    }
    counted.add(deploymentId);
    long until = result.get(1);
    if (until > 0) {
      seenUntil.merge(deploymentId, until, Math::max); // applies here at once, before any refresh
    }
  }

  /** Reads the shared cooldowns of every known deployment when the snapshot is due. */
  private void refreshIfDue(String deploymentId, Instant now) {
    if (known.add(deploymentId)) {
      stale = true;
    }
    long nowMillis = now.toEpochMilli();
    if (!isDue(nowMillis) || !refreshing.tryLock()) {
      return; // fresh enough, or another call is refreshing it: use the snapshot
    }
    try {
      if (!isDue(nowMillis)) {
        return;
      }
      stale = false;
      // never backwards: a call whose clock read came before the last refresh must not trigger another
      refreshedAt = Math.max(refreshedAt, nowMillis);
      if (nowMillis < refreshedAt - refreshMillis) {
        refreshedAt = nowMillis; // the clock really jumped back: start counting from here
      }
      List<String> ids = new ArrayList<>(known);
      String[] keys = new String[ids.size()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = cooldownKey(ids.get(i));
      }
      List<KeyValue<String, String>> values = outage.call("refresh", () -> redis.mget(keys), () -> null);
      if (values == null) {
        return;
      }
      for (int i = 0; i < values.size() && i < ids.size(); i++) {
        KeyValue<String, String> v = values.get(i);
        if (v.hasValue()) {
          Long until = parse(v.getValue());
          if (until != null) {
            seenUntil.merge(ids.get(i), until, Math::max);
          }
        }
      }
    } finally {
      refreshing.unlock();
    }
  }

  private boolean isDue(long nowMillis) {
    // A clock read a little older than the last refresh (calls race) is not due; a clock that jumped
    // back by more than the interval is.
    return stale || nowMillis - refreshedAt >= refreshMillis || nowMillis < refreshedAt - refreshMillis;
  }

  private static @Nullable Long parse(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null; // not written by this class: ignore it
    }
  }

  /** The Redis key holding the end of {@code deploymentId}'s cooldown while it lasts. */
  String cooldownKey(String deploymentId) {
    return keyPrefix + "cooldown:{" + Objects.requireNonNull(deploymentId, "deploymentId") + "}";
  }

  /** The Redis key holding {@code deploymentId}'s consecutive failures and latest cooldown end. */
  String recordKey(String deploymentId) {
    return keyPrefix + "failures:{" + Objects.requireNonNull(deploymentId, "deploymentId") + "}";
  }

  @Override
  public String toString() {
    return "RedisCooldownHealth[prefix=" + keyPrefix + ", failureThreshold=" + failureThreshold
        + ", cooldown=" + cooldown + ", maxRetryAfter=" + maxRetryAfter + ", refreshInterval="
        + refreshInterval + (isDegraded() ? ", degraded" : "") + "]";
  }

  /** Settings of a {@link RedisCooldownHealth}. Not thread-safe. */
  public static final class Builder {
    private final StatefulRedisConnection<String, String> connection;
    private final CooldownHealth.Builder local = CooldownHealth.builder(); // validates like CooldownHealth
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
    private Duration cooldown = DEFAULT_COOLDOWN;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;

    private Builder(StatefulRedisConnection<String, String> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * Put before every key; instances share cooldowns when they share the prefix. Defaults to
     * {@link #DEFAULT_KEY_PREFIX} ({@code llmgw:health:}).
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * Consecutive failures, on any instance, that cool a deployment down, at least 1. Defaults to
     * {@value #DEFAULT_FAILURE_THRESHOLD}.
     */
    public Builder failureThreshold(int failureThreshold) {
      local.failureThreshold(failureThreshold);
      this.failureThreshold = failureThreshold;
      return this;
    }

    /**
     * How long a deployment cools down after repeated failures, or after a rate limit that named no wait;
     * also how long a count or a probation lasts without a failure. Defaults to
     * {@link #DEFAULT_COOLDOWN}, 30 seconds.
     */
    public Builder cooldown(Duration cooldown) {
      local.cooldown(cooldown);
      this.cooldown = cooldown;
      return this;
    }

    /**
     * The longest cooldown a provider's {@code retry-after} may impose. Defaults to
     * {@link #DEFAULT_MAX_RETRY_AFTER}, 5 minutes.
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      local.maxRetryAfter(maxRetryAfter);
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /**
     * How often, at most, the snapshot of the shared cooldowns is read from Redis, by the router's clock:
     * the longest a cooldown set by another instance goes unseen here. Zero reads Redis on every check.
     * Defaults to {@link #DEFAULT_REFRESH_INTERVAL}, 1 second.
     */
    public Builder refreshInterval(Duration refreshInterval) {
      Objects.requireNonNull(refreshInterval, "refreshInterval");
      if (refreshInterval.isNegative()) {
        throw new LlmConfigurationException("refreshInterval must be zero or positive, was "
            + refreshInterval);
      }
      this.refreshInterval = refreshInterval;
      return this;
    }

    public RedisCooldownHealth build() {
      return new RedisCooldownHealth(this);
    }
  }
}

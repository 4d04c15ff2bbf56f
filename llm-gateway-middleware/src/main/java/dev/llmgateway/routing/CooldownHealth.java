package dev.llmgateway.routing;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link DeploymentHealth}: cooldowns, in memory.
 *
 * <ul>
 *   <li>A {@link RateLimitedException} cools the deployment down at once, for the exception's
 *       {@code retryAfter} capped at {@code maxRetryAfter}, or for {@code cooldown} when the provider said
 *       nothing (quota exhaustion included: another deployment has another quota).
 *   <li>Other failures that are the deployment's fault count as consecutive failures; the
 *       {@code failureThreshold}-th in a row cools it down for {@code cooldown}. They are the retryable
 *       ones (5xx, overload, connection failures, timeouts, malformed answers, broken streams) and
 *       {@link AuthenticationException}: the gateway, not the caller, holds each deployment's key, so a
 *       rejected key is that deployment's fault and will fail every call until it is fixed.
 *   <li>Failures that are the request's fault (invalid request, context length, content filter) and
 *       cancellations are ignored.
 *   <li>When the cooldown has passed the deployment is available again, on probation: the next call may
 *       use it; a failure on probation cools it down again at once, a success clears its record.
 * </ul>
 *
 * <pre>{@code
 * DeploymentHealth health = CooldownHealth.builder()
 *     .failureThreshold(3).cooldown(Duration.ofSeconds(30)).maxRetryAfter(Duration.ofMinutes(2))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe: each deployment's record is updated atomically.
 */
public final class CooldownHealth implements DeploymentHealth {
  /** Consecutive failures that cool a deployment down by default: {@value}. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  /** How long a deployment cools down after repeated failures by default: 30 seconds. */
  public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);
  /** The longest cooldown a provider's {@code retry-after} may impose by default: 5 minutes. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final int failureThreshold;
  private final Duration cooldown;
  private final Duration maxRetryAfter;
  private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();

  private CooldownHealth(Builder b) {
    this.failureThreshold = b.failureThreshold;
    this.cooldown = b.cooldown;
    this.maxRetryAfter = b.maxRetryAfter;
  }

  /** Cooldowns with every default. */
  public static CooldownHealth create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
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

  @Override
  public boolean isAvailable(String deploymentId, Instant now) {
    return retryAfter(deploymentId, now) == null;
  }

  @Override
  public @Nullable Duration retryAfter(String deploymentId, Instant now) {
    Record r = records.get(deploymentId);
    if (r == null || r.coolingUntil == null || !now.isBefore(r.coolingUntil)) {
      return null;
    }
    return Duration.between(now, r.coolingUntil);
  }

  @Override
  public void recordSuccess(String deploymentId, Instant now) {
    records.remove(deploymentId);
  }

  @Override
  public void recordFailure(String deploymentId, LlmException error, Instant now) {
    if (!isDeploymentFault(error)) {
      return;
    }
    records.compute(deploymentId, (id, r) -> next(r, error, now));
  }

  private Record next(@Nullable Record r, LlmException error, Instant now) {
    int failures = (r == null ? 0 : r.consecutiveFailures) + 1;
    if (error instanceof RateLimitedException) {
      Duration wait = error.retryAfter() != null ? min(error.retryAfter(), maxRetryAfter) : cooldown;
      return new Record(failures, later(r, now.plus(wait)));
    }
    boolean onProbation = r != null && r.coolingUntil != null && !now.isBefore(r.coolingUntil);
    if (onProbation || failures >= failureThreshold) {
      return new Record(failures, later(r, now.plus(cooldown)));
    }
    return new Record(failures, r == null ? null : r.coolingUntil);
  }

  /** {@code until}, or the record's current cooldown end when that is later (never shortened). */
  private static Instant later(@Nullable Record r, Instant until) {
    return r != null && r.coolingUntil != null && r.coolingUntil.isAfter(until) ? r.coolingUntil : until;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Whether {@code error} is the deployment's fault, so that it counts towards a cooldown: a
   * {@link RateLimitedException}, an {@link AuthenticationException} or any retryable failure. False for
   * the request's own faults (invalid request, context length, content filter) and cancellations. Public
   * so that other {@link DeploymentHealth} implementations (e.g. one shared through Redis) classify
   * failures exactly as the default does.
   */
  public static boolean isDeploymentFault(LlmException error) {
    return error instanceof RateLimitedException || error instanceof AuthenticationException
        || error.isRetryable();
  }

  @Override
  public String toString() {
    return "CooldownHealth[failureThreshold=" + failureThreshold + ", cooldown=" + cooldown
        + ", maxRetryAfter=" + maxRetryAfter + "]";
  }

  /** @param coolingUntil when the current or last cooldown ends; null if it never cooled down */
  private record Record(int consecutiveFailures, @Nullable Instant coolingUntil) {}

  /** Builds a {@link CooldownHealth}. Not thread-safe. */
  public static final class Builder {
    private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
    private Duration cooldown = DEFAULT_COOLDOWN;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;

    private Builder() {}

    /**
     * Consecutive failures that cool a deployment down, at least 1. Defaults to
     * {@value #DEFAULT_FAILURE_THRESHOLD}.
     */
    public Builder failureThreshold(int failureThreshold) {
      Check.that(failureThreshold >= 1, "failureThreshold must be >= 1, was " + failureThreshold);
      this.failureThreshold = failureThreshold;
      return this;
    }

    /**
     * How long a deployment cools down after repeated failures, or after a rate limit that named no wait.
     * Defaults to {@link #DEFAULT_COOLDOWN}, 30 seconds.
     */
    public Builder cooldown(Duration cooldown) {
      this.cooldown = Check.positive(cooldown, "cooldown");
      return this;
    }

    /**
     * The longest cooldown a provider's {@code retry-after} may impose. Defaults to
     * {@link #DEFAULT_MAX_RETRY_AFTER}, 5 minutes.
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = Check.positive(maxRetryAfter, "maxRetryAfter");
      return this;
    }

    public CooldownHealth build() {
      return new CooldownHealth(this);
    }
  }
}

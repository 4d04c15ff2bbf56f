package dev.llmgateway.routing;

import dev.llmgateway.error.LlmException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Whether a deployment should get calls now: the memory of recent failures that takes a failing or
 * rate-limited deployment out of rotation for a while (a cooldown, or an open circuit breaker) and lets
 * it back in afterwards. The {@link RouterInterceptor} asks it before choosing and tells it how each
 * attempt ended.
 *
 * <p>For each attempt the router asks {@link #isAvailable} about every candidate (outside its lock), then
 * {@link #tryAcquire} about the one its strategy chose (under its lock, so calls that arrive together are
 * admitted one by one), and when that says yes it reports exactly one of {@link #recordSuccess},
 * {@link #recordFailure} or {@link #release} for the attempt. An implementation that limits how many
 * calls a deployment gets at once (the probes of a half-open circuit breaker) holds that limit in
 * {@code tryAcquire}; the others keep the defaults, which admit every call.
 *
 * <p>Time is passed in, from the router's clock, so that implementations need no clock of their own and
 * tests need no sleeps. Implementations must be thread-safe. The default is {@link CooldownHealth}; a
 * store shared by several instances (e.g. in Redis) can implement the same interface.
 */
public interface DeploymentHealth {

  /** Whether {@code deploymentId} may be given a call at {@code now}. */
  boolean isAvailable(String deploymentId, Instant now);

  /** How long until {@code deploymentId} is available again; null when it is available at {@code now}. */
  @Nullable Duration retryAfter(String deploymentId, Instant now);

  /**
   * Takes a permission for one call to {@code deploymentId}, the deployment the router chose, at
   * {@code now}; false refuses it, and the router chooses another. Called under the router's lock: it
   * must be quick (no remote round trip per call). A permission taken is given back by the outcome the
   * router reports next ({@link #recordSuccess}, {@link #recordFailure}), or by {@link #release} when the
   * attempt ended without one. Defaults to admitting every call.
   */
  default boolean tryAcquire(String deploymentId, Instant now) {
    return true;
  }

  /**
   * Gives back the permission {@link #tryAcquire} took for an attempt that ended without an outcome to
   * record: a stream the caller closed early, an attempt that ended in a bug rather than an
   * {@link LlmException}, or one the router could not start after all. Does nothing by default.
   */
  default void release(String deploymentId) {}

  /** An attempt on {@code deploymentId} succeeded at {@code now}. */
  void recordSuccess(String deploymentId, Instant now);

  /**
   * An attempt on {@code deploymentId} failed with {@code error} at {@code now}. The implementation
   * decides which failures are the deployment's fault; the router reports them all. One it ignores (a
   * cancellation, the request's own fault) still ends the attempt: give back its {@link #tryAcquire}
   * permission.
   */
  void recordFailure(String deploymentId, LlmException error, Instant now);
}

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
 * <p>Time is passed in, from the router's clock, so that implementations need no clock of their own and
 * tests need no sleeps. Implementations must be thread-safe. The default is {@link CooldownHealth}; a
 * store shared by several instances (e.g. in Redis) can implement the same interface.
 */
public interface DeploymentHealth {

  /** Whether {@code deploymentId} may be given a call at {@code now}. */
  boolean isAvailable(String deploymentId, Instant now);

  /** How long until {@code deploymentId} is available again; null when it is available at {@code now}. */
  @Nullable Duration retryAfter(String deploymentId, Instant now);

  /** An attempt on {@code deploymentId} succeeded at {@code now}. */
  void recordSuccess(String deploymentId, Instant now);

  /**
   * An attempt on {@code deploymentId} failed with {@code error} at {@code now}. The implementation
   * decides which failures are the deployment's fault; the router reports them all.
   */
  void recordFailure(String deploymentId, LlmException error, Instant now);
}

package dev.llmgateway.resilience;

import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.resilience.internal.FollowingClock;
import dev.llmgateway.routing.DeploymentHealth;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DeploymentHealth} backed by Resilience4j circuit breakers, one per deployment id, from one
 * {@link CircuitBreakerRegistry} configured by a {@link CircuitBreakerPolicy}: a deployment whose calls
 * fail at the threshold rate is taken out of rotation (its breaker opens) for the policy's wait, then
 * probed back in (half-open) and closed again when the probes succeed.
 *
 * <ul>
 *   <li>Only failures the policy {@linkplain CircuitBreakerPolicy#countsAsFailure() counts} are recorded
 *       (by default the retryable ones: not an invalid request, which would fail anywhere, and not a
 *       cancellation); the others leave the breaker as it was.
 *   <li>A {@link RateLimitedException} with a {@code retry-after} opens the breaker at once for that
 *       long (capped at {@link CircuitBreakerPolicy#maxRetryAfter()}), never shortening a longer opening.
 *   <li>Time is the router's: the breakers read a clock that follows the {@code now} the router passes
 *       in, so tests move a breaker from open to half-open by passing a later instant.
 * </ul>
 *
 * <pre>{@code
 * RouterInterceptor router = RouterInterceptor.builder()
 *     .health(CircuitBreakerHealth.create(CircuitBreakerPolicy.builder().minimumCalls(10).build()))
 *     ...
 * }</pre>
 *
 * <p>{@link #isAvailable} only looks (it asks the breaker for a permission and gives it back at once), so
 * checking the candidates uses up no half-open probe. The router then takes a real permission for the
 * deployment it chose with {@link #tryAcquire} ({@link CircuitBreaker#tryAcquirePermission()}), under
 * its lock, and the outcome it records consumes it, or {@link #release} gives it back
 * ({@link CircuitBreaker#releasePermission()}) when the attempt ended without one: so when calls arrive
 * together at a half-open deployment, only {@link CircuitBreakerPolicy#permittedCallsInHalfOpen()} of
 * them go out as probes, and the others are routed elsewhere. Thread-safe. Bind {@link #registry()} to
 * metrics (e.g. {@code resilience4j-micrometer}) to watch the breakers.
 */
public final class CircuitBreakerHealth implements DeploymentHealth {
  private final CircuitBreakerPolicy policy;
  private final FollowingClock clock = new FollowingClock(Instant.EPOCH);
  private final CircuitBreakerRegistry registry;
  private final ConcurrentHashMap<String, Instant> openUntil = new ConcurrentHashMap<>();

  private CircuitBreakerHealth(CircuitBreakerPolicy policy) {
    this.policy = Check.nonNull(policy, "policy");
    this.registry = CircuitBreakerRegistry.of(policy.toCircuitBreakerConfig(clock));
  }

  /** Breakers configured by {@code policy}. */
  public static CircuitBreakerHealth create(CircuitBreakerPolicy policy) {
    return new CircuitBreakerHealth(policy);
  }

  /** Breakers with every default of {@link CircuitBreakerPolicy}. */
  public static CircuitBreakerHealth create() {
    return create(CircuitBreakerPolicy.DEFAULT);
  }

  public CircuitBreakerPolicy policy() {
    return policy;
  }

  /** The registry holding one breaker per deployment id, e.g. to bind to metrics. */
  public CircuitBreakerRegistry registry() {
    return registry;
  }

  /** The breaker of {@code deploymentId}, created closed on first use. */
  public CircuitBreaker circuitBreaker(String deploymentId) {
    Check.that(deploymentId != null && !deploymentId.isBlank(), "deploymentId must not be blank");
    return registry.circuitBreaker(deploymentId);
  }

  /** The state of {@code deploymentId}'s breaker as of {@code now}; an open one due for probing is half-open. */
  public CircuitBreaker.State state(String deploymentId, Instant now) {
    isAvailable(deploymentId, now);
    return circuitBreaker(deploymentId).getState();
  }

  @Override
  public boolean isAvailable(String deploymentId, Instant now) {
    clock.advanceTo(now);
    CircuitBreaker breaker = circuitBreaker(deploymentId);
    switch (breaker.getState()) {
      case CLOSED, DISABLED, METRICS_ONLY:
        return true;
      case FORCED_OPEN:
        return false;
      case OPEN:
        Instant until = openUntil.get(deploymentId);
        if (until != null) {
          if (now.isBefore(until)) {
            return false;
          }
          halfOpen(breaker);
        }
        break;
      default:
        break;
    }
    // Half-open (or open by someone else's hand, which the breaker ends on its own clock): look at the
    // permission without taking a probe.
    if (breaker.tryAcquirePermission()) {
      breaker.releasePermission();
      return true;
    }
    return false;
  }

  /**
   * Takes one of the breaker's permissions for a call to {@code deploymentId}: always granted while it is
   * closed, never while it is open, and only up to the permitted probe calls while it is half-open (an
   * open breaker whose wait is over turns half-open first).
   */
  @Override
  public boolean tryAcquire(String deploymentId, Instant now) {
    if (!isAvailable(deploymentId, now)) {
      return false;
    }
    return circuitBreaker(deploymentId).tryAcquirePermission();
  }

  /** Gives back a permission {@link #tryAcquire} took, for an attempt with no outcome to record. */
  @Override
  public void release(String deploymentId) {
    circuitBreaker(deploymentId).releasePermission();
  }

  /** Moves an open breaker whose wait is over to half-open (Resilience4j would only a tick later). */
  private static void halfOpen(CircuitBreaker breaker) {
    synchronized (breaker) {
      if (breaker.getState() == CircuitBreaker.State.OPEN) {
        breaker.transitionToHalfOpenState();
      }
    }
  }

  @Override
  public @Nullable Duration retryAfter(String deploymentId, Instant now) {
    if (isAvailable(deploymentId, now)) {
      return null;
    }
    Instant until = openUntil.get(deploymentId);
    return until != null && now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
  }

  @Override
  public void recordSuccess(String deploymentId, Instant now) {
    clock.advanceTo(now);
    circuitBreaker(deploymentId).onSuccess(0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void recordFailure(String deploymentId, LlmException error, Instant now) {
    Check.nonNull(error, "error");
    clock.advanceTo(now);
    CircuitBreaker breaker = circuitBreaker(deploymentId);
    Duration retryAfter = error.retryAfter();
    if (error instanceof RateLimitedException && retryAfter != null
        && !retryAfter.isNegative() && !retryAfter.isZero()) {
      Duration wait = retryAfter.compareTo(policy.maxRetryAfter()) <= 0 ? retryAfter : policy.maxRetryAfter();
      openFor(deploymentId, breaker, wait, now);
      return;
    }
    if (!policy.countsAsFailure().test(error)) {
      breaker.releasePermission(); // the attempt is over, and says nothing about the deployment
      return;
    }
    CircuitBreaker.State before = breaker.getState();
    breaker.onError(0, TimeUnit.NANOSECONDS, error);
    if (breaker.getState() == CircuitBreaker.State.OPEN && before != CircuitBreaker.State.OPEN) {
      openUntil.put(deploymentId, now.plus(policy.waitInOpenState()));
    }
  }

  private void openFor(String deploymentId, CircuitBreaker breaker, Duration wait, Instant now) {
    Instant until = now.plus(wait);
    openUntil.compute(deploymentId, (id, current) -> {
      boolean open = breaker.getState() == CircuitBreaker.State.OPEN;
      if (open && current != null && !current.isBefore(until)) {
        return current;
      }
      breaker.transitionToOpenStateUntil(until);
      return until;
    });
  }

  @Override
  public String toString() {
    return "CircuitBreakerHealth[" + policy + "]";
  }
}

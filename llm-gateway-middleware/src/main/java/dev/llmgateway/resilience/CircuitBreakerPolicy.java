package dev.llmgateway.resilience;

import dev.llmgateway.error.LlmException;
import dev.llmgateway.gateway.internal.Check;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How the {@link CircuitBreakerHealth} judges a deployment: the settings of its Resilience4j circuit
 * breakers, and which failures count against a deployment. Immutable; build it with {@link #builder()}.
 *
 * <p>A breaker opens when, over the last {@link #slidingWindowSize()} calls (or seconds, with a
 * {@link SlidingWindowType#TIME_BASED} window) and once at least {@link #minimumCalls()} were recorded,
 * the share of failures reaches {@link #failureRateThreshold()} percent. It stays open for
 * {@link #waitInOpenState()}, then lets {@link #permittedCallsInHalfOpen()} probe calls through: if they
 * fail at the threshold rate it opens again, else it closes. A {@link dev.llmgateway.error.RateLimitedException}
 * with a {@code retry-after} opens it at once for that long, capped at {@link #maxRetryAfter()}.
 *
 * <pre>{@code
 * CircuitBreakerPolicy policy = CircuitBreakerPolicy.builder()
 *     .failureRateThreshold(50).minimumCalls(10).slidingWindowSize(50)
 *     .waitInOpenState(Duration.ofSeconds(20)).permittedCallsInHalfOpen(2)
 *     .build();
 * }</pre>
 *
 * @param failureRateThreshold the failure percentage that opens a breaker, in (0, 100]
 * @param minimumCalls the calls a breaker must have recorded before it may open, at least 1
 * @param slidingWindowType whether the window counts calls or seconds
 * @param slidingWindowSize the calls (or seconds) the failure rate is computed over, at least 1
 * @param waitInOpenState how long an open breaker keeps its deployment out of rotation
 * @param permittedCallsInHalfOpen the probe calls that decide whether a breaker closes again
 * @param maxRetryAfter the longest a rate limit's {@code retry-after} may keep a deployment out
 * @param countsAsFailure which failures count against the deployment; the others (the request's fault,
 *     cancellations) are ignored
 */
public record CircuitBreakerPolicy(float failureRateThreshold, int minimumCalls,
    SlidingWindowType slidingWindowType, int slidingWindowSize, Duration waitInOpenState,
    int permittedCallsInHalfOpen, Duration maxRetryAfter, Predicate<LlmException> countsAsFailure) {

  /** The failure percentage that opens a breaker by default: {@value}. */
  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;
  /** The calls a breaker must have recorded before it may open, by default: {@value}. */
  public static final int DEFAULT_MINIMUM_CALLS = 5;
  /** The kind of sliding window by default: {@link SlidingWindowType#COUNT_BASED}, the last calls. */
  public static final SlidingWindowType DEFAULT_SLIDING_WINDOW_TYPE = SlidingWindowType.COUNT_BASED;
  /** The size of the sliding window by default: {@value} calls. */
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20;
  /** How long an open breaker waits before probing by default: 30 seconds. */
  public static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);
  /** The probe calls of a half-open breaker by default: {@value}. */
  public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN = 1;
  /** The longest a {@code retry-after} may keep a deployment out by default: 5 minutes. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);
  /**
   * Which failures count against a deployment by default: the retryable ones (5xx, overload, rate
   * limits, connection failures, timeouts, malformed answers, broken streams), not the request's own
   * faults such as an invalid request, and not cancellations.
   */
  public static final Predicate<LlmException> DEFAULT_COUNTS_AS_FAILURE = LlmException::isRetryable;

  /** The policy with every default. */
  public static final CircuitBreakerPolicy DEFAULT = builder().build();

  public CircuitBreakerPolicy {
    Check.that(failureRateThreshold > 0 && failureRateThreshold <= 100,
        "failureRateThreshold must be in (0, 100], was " + failureRateThreshold);
    Check.atLeast(minimumCalls, 1, "minimumCalls");
    Check.nonNull(slidingWindowType, "slidingWindowType");
    Check.atLeast(slidingWindowSize, 1, "slidingWindowSize");
    Check.that(slidingWindowType != SlidingWindowType.COUNT_BASED || minimumCalls <= slidingWindowSize,
        "minimumCalls (" + minimumCalls + ") must not exceed a count-based slidingWindowSize ("
            + slidingWindowSize + ")");
    Check.positive(waitInOpenState, "waitInOpenState");
    Check.atLeast(permittedCallsInHalfOpen, 1, "permittedCallsInHalfOpen");
    Check.positive(maxRetryAfter, "maxRetryAfter");
    Check.nonNull(countsAsFailure, "countsAsFailure");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().failureRateThreshold(failureRateThreshold).minimumCalls(minimumCalls)
        .slidingWindow(slidingWindowType, slidingWindowSize).waitInOpenState(waitInOpenState)
        .permittedCallsInHalfOpen(permittedCallsInHalfOpen).maxRetryAfter(maxRetryAfter)
        .countsAsFailure(countsAsFailure);
  }

  /**
   * These settings as a Resilience4j {@link CircuitBreakerConfig} whose time is {@code clock}. Outcomes
   * are recorded by the {@link CircuitBreakerHealth} itself (only failures that
   * {@link #countsAsFailure()}), so the config records every exception it is given.
   */
  public CircuitBreakerConfig toCircuitBreakerConfig(Clock clock) {
    return CircuitBreakerConfig.custom()
        .failureRateThreshold(failureRateThreshold)
        .minimumNumberOfCalls(minimumCalls)
        .slidingWindow(slidingWindowSize, minimumCalls, slidingWindowType)
        .waitDurationInOpenState(waitInOpenState)
        .permittedNumberOfCallsInHalfOpenState(permittedCallsInHalfOpen)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .clock(Check.nonNull(clock, "clock"))
        .build();
  }

  /** Builds a {@link CircuitBreakerPolicy}. Not thread-safe. */
  public static final class Builder {
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int minimumCalls = DEFAULT_MINIMUM_CALLS;
    private SlidingWindowType slidingWindowType = DEFAULT_SLIDING_WINDOW_TYPE;
    private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
    private Duration waitInOpenState = DEFAULT_WAIT_IN_OPEN_STATE;
    private int permittedCallsInHalfOpen = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Predicate<LlmException> countsAsFailure = DEFAULT_COUNTS_AS_FAILURE;

    private Builder() {}

    /**
     * The failure percentage that opens a breaker, in (0, 100]. Defaults to
     * {@value #DEFAULT_FAILURE_RATE_THRESHOLD}.
     */
    public Builder failureRateThreshold(float percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /**
     * The calls a breaker must have recorded before it may open. Defaults to
     * {@value #DEFAULT_MINIMUM_CALLS}.
     */
    public Builder minimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
      return this;
    }

    /**
     * A window over the last {@code size} calls. Defaults to {@value #DEFAULT_SLIDING_WINDOW_SIZE}
     * calls ({@link #DEFAULT_SLIDING_WINDOW_TYPE}).
     */
    public Builder slidingWindowSize(int size) {
      return slidingWindow(SlidingWindowType.COUNT_BASED, size);
    }

    /**
     * A window of {@code size} calls ({@link SlidingWindowType#COUNT_BASED}) or seconds
     * ({@link SlidingWindowType#TIME_BASED}). Defaults to the last
     * {@value #DEFAULT_SLIDING_WINDOW_SIZE} calls.
     */
    public Builder slidingWindow(SlidingWindowType type, int size) {
      this.slidingWindowType = Check.nonNull(type, "slidingWindowType");
      this.slidingWindowSize = size;
      return this;
    }

    /**
     * How long an open breaker keeps its deployment out before probing. Defaults to
     * {@link #DEFAULT_WAIT_IN_OPEN_STATE}, 30 seconds.
     */
    public Builder waitInOpenState(Duration wait) {
      this.waitInOpenState = wait;
      return this;
    }

    /**
     * The probe calls that decide whether a half-open breaker closes. Defaults to
     * {@value #DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN}.
     */
    public Builder permittedCallsInHalfOpen(int calls) {
      this.permittedCallsInHalfOpen = calls;
      return this;
    }

    /**
     * The longest a rate limit's {@code retry-after} may keep a deployment out. Defaults to
     * {@link #DEFAULT_MAX_RETRY_AFTER}, 5 minutes.
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /**
     * Which failures count against a deployment. Defaults to {@link #DEFAULT_COUNTS_AS_FAILURE}, the
     * retryable ones.
     */
    public Builder countsAsFailure(Predicate<LlmException> countsAsFailure) {
      this.countsAsFailure = Check.nonNull(countsAsFailure, "countsAsFailure");
      return this;
    }

    public CircuitBreakerPolicy build() {
      return new CircuitBreakerPolicy(failureRateThreshold, minimumCalls, slidingWindowType,
          slidingWindowSize, waitInOpenState, permittedCallsInHalfOpen, maxRetryAfter, countsAsFailure);
    }
  }
}

package dev.llmgateway.resilience;

import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.gateway.internal.Check;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * When and how often the {@link RetryInterceptor} sends a failed call again. Immutable; build it with
 * {@link #builder()}.
 *
 * <p>Only exceptions whose {@link LlmException#isRetryable()} is true are retried, and each error class
 * at most its own number of times ({@link #maxRetriesByError()}: a rate limit is worth waiting out three
 * times, a malformed answer is worth one more try). The wait before retry <i>n</i> is the
 * {@code retry-after} the failed attempt carried ({@link LlmException#retryAfter()}, capped at
 * {@link #maxRetryAfter()}), or else exponential backoff with full jitter: a random duration between zero
 * and {@code min(maxBackoff, initialBackoff * backoffMultiplier^(n-1))}. Retrying stops at
 * {@link #maxAttempts()} attempts, and when the next attempt would start after {@link #maxTotalTime()} or
 * after the caller's deadline; then the last error is thrown, the earlier ones attached as suppressed.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(5)
 *     .maxRetries(RateLimitedException.class, 4)
 *     .maxRetries(MalformedResponseException.class, 0)
 *     .initialBackoff(Duration.ofMillis(250))
 *     .maxTotalTime(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * @param maxAttempts the most attempts of one call, the first included; 1 turns retrying off
 * @param maxRetriesByError how many times each error class may be retried; an exception counts under
 *     the most specific class of the map it is an instance of
 * @param maxRetriesForOtherErrors how many times a retryable exception of no class in
 *     {@code maxRetriesByError} may be retried
 * @param initialBackoff the backoff ceiling before the first retry
 * @param backoffMultiplier what the ceiling is multiplied by for each further retry, at least 1
 * @param maxBackoff the highest backoff ceiling
 * @param maxRetryAfter the longest {@code retry-after} honoured; a longer one is waited this long
 * @param maxTotalTime the longest time from the first attempt's start to the last attempt's start
 */
public record RetryPolicy(int maxAttempts, Map<Class<? extends LlmException>, Integer> maxRetriesByError,
    int maxRetriesForOtherErrors, Duration initialBackoff, double backoffMultiplier, Duration maxBackoff,
    Duration maxRetryAfter, Duration maxTotalTime) {

  /** The most attempts of one call by default, the first included: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;
  /**
   * Retries per error class by default: {@link RateLimitedException} 3, {@link ProviderUnavailableException}
   * 2 (5xx, 529 overload, connection failures), {@link LlmTimeoutException} 1,
   * {@link StreamInterruptedException} 1, {@link MalformedResponseException} 1.
   */
  public static final Map<Class<? extends LlmException>, Integer> DEFAULT_MAX_RETRIES_BY_ERROR = Map.of(
      RateLimitedException.class, 3,
      ProviderUnavailableException.class, 2,
      LlmTimeoutException.class, 1,
      StreamInterruptedException.class, 1,
      MalformedResponseException.class, 1);
  /** Retries of a retryable exception of any other class by default: {@value}. */
  public static final int DEFAULT_MAX_RETRIES_FOR_OTHER_ERRORS = 1;
  /** The backoff ceiling before the first retry by default: 500 milliseconds. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  /** The factor the backoff ceiling grows by per retry by default: {@value}. */
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  /** The highest backoff ceiling by default: 8 seconds. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);
  /** The longest {@code retry-after} honoured by default: 60 seconds. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
  /** The longest time across all attempts of a call by default: 2 minutes. */
  public static final Duration DEFAULT_MAX_TOTAL_TIME = Duration.ofMinutes(2);

  /** The policy with every default. */
  public static final RetryPolicy DEFAULT = builder().build();

  public RetryPolicy {
    Check.atLeast(maxAttempts, 1, "maxAttempts");
    Check.nonNull(maxRetriesByError, "maxRetriesByError");
    maxRetriesByError.forEach((type, retries) -> {
      Check.nonNull(type, "maxRetriesByError key");
      Check.nonNull(retries, "maxRetriesByError[" + type.getSimpleName() + "]");
      Check.atLeast(retries, 0, "maxRetriesByError[" + type.getSimpleName() + "]");
    });
    maxRetriesByError = Map.copyOf(maxRetriesByError);
    Check.atLeast(maxRetriesForOtherErrors, 0, "maxRetriesForOtherErrors");
    Check.notNegative(initialBackoff, "initialBackoff");
    Check.that(backoffMultiplier >= 1.0 && Double.isFinite(backoffMultiplier),
        "backoffMultiplier must be a finite number >= 1, was " + backoffMultiplier);
    Check.notNegative(maxBackoff, "maxBackoff");
    Check.that(maxBackoff.compareTo(initialBackoff) >= 0,
        "maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
    Check.notNegative(maxRetryAfter, "maxRetryAfter");
    Check.positive(maxTotalTime, "maxTotalTime");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A policy that never retries. */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.maxRetriesByError.clear();
    b.maxRetriesByError.putAll(maxRetriesByError);
    b.maxRetriesForOtherErrors = maxRetriesForOtherErrors;
    b.initialBackoff = initialBackoff;
    b.backoffMultiplier = backoffMultiplier;
    b.maxBackoff = maxBackoff;
    b.maxRetryAfter = maxRetryAfter;
    b.maxTotalTime = maxTotalTime;
    return b;
  }

  /**
   * The class {@code error} is counted under: the most specific class of {@link #maxRetriesByError()} it
   * is an instance of, or {@link LlmException} for the others.
   */
  public Class<? extends LlmException> errorClassOf(LlmException error) {
    for (Class<?> c = error.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      if (maxRetriesByError.containsKey(c)) {
        return c.asSubclass(LlmException.class);
      }
    }
    return LlmException.class;
  }

  /** How many times an error of {@code error}'s class may be retried in one call. */
  public int maxRetriesFor(LlmException error) {
    Integer configured = maxRetriesByError.get(errorClassOf(error));
    return configured != null ? configured : maxRetriesForOtherErrors;
  }

  /** Whether this policy would retry {@code error} at all (retryable, and its class may be retried). */
  public boolean retries(LlmException error) {
    return maxAttempts > 1 && error.isRetryable() && maxRetriesFor(error) > 0;
  }

  /**
   * The backoff before retry {@code retry} (1 for the first retry) when the failure named no
   * {@code retry-after}: full jitter, uniformly random between zero and the ceiling.
   */
  public Duration backoff(int retry, RandomGenerator random) {
    Check.atLeast(retry, 1, "retry");
    long ceiling = ceilingMillis(retry);
    return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
  }

  /** The wait before retry {@code retry} after {@code error}: its capped retry-after, else the backoff. */
  public Duration delay(int retry, LlmException error, RandomGenerator random) {
    Duration retryAfter = error.retryAfter();
    if (retryAfter != null && !retryAfter.isNegative()) {
      return retryAfter.compareTo(maxRetryAfter) <= 0 ? retryAfter : maxRetryAfter;
    }
    return backoff(retry, random);
  }

  private long ceilingMillis(int retry) {
    double ceiling = initialBackoff.toMillis() * Math.pow(backoffMultiplier, retry - 1.0);
    long max = maxBackoff.toMillis();
    return ceiling >= max ? max : (long) ceiling;
  }

  /**
   * The waits of this policy as a Resilience4j interval function: for attempt <i>n</i> (Resilience4j
   * counts the failed attempt, 1 for the first), the {@link #delay} in milliseconds.
   */
  public IntervalBiFunction<Object> intervalFunction(RandomGenerator random) {
    Check.nonNull(random, "random");
    return (Integer attempt, Either<Throwable, Object> outcome) -> {
      int retry = Math.max(1, attempt);
      if (outcome != null && outcome.isLeft() && outcome.getLeft() instanceof LlmException error) {
        return delay(retry, error, random).toMillis();
      }
      return backoff(retry, random).toMillis();
    };
  }

  /**
   * This policy as a Resilience4j {@link RetryConfig}, for hosts that drive Resilience4j's {@code Retry}
   * themselves: the attempts, the {@link #intervalFunction} and the retryable-exception rule. The per-class
   * counts, the total time and the caller's deadline are the {@link RetryInterceptor}'s own (Resilience4j's
   * {@code Retry} knows none of them, and sleeps through one process-wide sleep function).
   */
  public RetryConfig toRetryConfig(RandomGenerator random) {
    return RetryConfig.custom()
        .maxAttempts(maxAttempts)
        .intervalBiFunction(intervalFunction(random))
        .retryOnException(e -> e instanceof LlmException error && retries(error))
        .failAfterMaxAttempts(false)
        .build();
  }

  /** Builds a {@link RetryPolicy}. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private final Map<Class<? extends LlmException>, Integer> maxRetriesByError =
        new LinkedHashMap<>(DEFAULT_MAX_RETRIES_BY_ERROR);
    private int maxRetriesForOtherErrors = DEFAULT_MAX_RETRIES_FOR_OTHER_ERRORS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Duration maxTotalTime = DEFAULT_MAX_TOTAL_TIME;

    private Builder() {}

    /**
     * The most attempts of one call, the first included, at least 1. Defaults to
     * {@value #DEFAULT_MAX_ATTEMPTS}.
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * How many times exceptions of {@code type} (and its subclasses not listed themselves) may be retried
     * in one call; 0 never retries them. Defaults to {@link #DEFAULT_MAX_RETRIES_BY_ERROR}.
     */
    public Builder maxRetries(Class<? extends LlmException> type, int retries) {
      maxRetriesByError.put(Check.nonNull(type, "type"), retries);
      return this;
    }

    /** Replaces every per-class count. Defaults to {@link #DEFAULT_MAX_RETRIES_BY_ERROR}. */
    public Builder maxRetriesByError(Map<Class<? extends LlmException>, Integer> counts) {
      Check.nonNull(counts, "maxRetriesByError");
      maxRetriesByError.clear();
      maxRetriesByError.putAll(counts);
      return this;
    }

    /**
     * How many times a retryable exception of no listed class may be retried. Defaults to
     * {@value #DEFAULT_MAX_RETRIES_FOR_OTHER_ERRORS}.
     */
    public Builder maxRetriesForOtherErrors(int retries) {
      this.maxRetriesForOtherErrors = retries;
      return this;
    }

    /** The backoff ceiling before the first retry. Defaults to {@link #DEFAULT_INITIAL_BACKOFF}, 500 ms. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /**
     * What the backoff ceiling is multiplied by per retry, at least 1. Defaults to
     * {@value #DEFAULT_BACKOFF_MULTIPLIER}.
     */
    public Builder backoffMultiplier(double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    /** The highest backoff ceiling. Defaults to {@link #DEFAULT_MAX_BACKOFF}, 8 seconds. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * The longest {@code retry-after} honoured; a longer one is waited only this long. Defaults to
     * {@link #DEFAULT_MAX_RETRY_AFTER}, 60 seconds.
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /**
     * The longest time from the first attempt's start to the start of the last; a retry that would start
     * later is not made. Defaults to {@link #DEFAULT_MAX_TOTAL_TIME}, 2 minutes.
     */
    public Builder maxTotalTime(Duration maxTotalTime) {
      this.maxTotalTime = maxTotalTime;
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(maxAttempts, maxRetriesByError, maxRetriesForOtherErrors, initialBackoff,
          backoffMultiplier, maxBackoff, maxRetryAfter, maxTotalTime);
    }
  }
}

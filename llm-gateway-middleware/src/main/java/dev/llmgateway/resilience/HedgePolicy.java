package dev.llmgateway.resilience;

import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When the {@link HedgingInterceptor} sends a second attempt of a call: after a fixed delay, or after the
 * observed percentile (e.g. p95) of the recent latencies of the call's group. Immutable.
 *
 * <pre>{@code
 * HedgePolicy fixed = HedgePolicy.fixed(Duration.ofMillis(800));
 * HedgePolicy adaptive = HedgePolicy.p95(Duration.ofSeconds(1)); // 1 s until 20 latencies are known
 * }</pre>
 *
 * @param delay the wait before the hedge; with a {@link #percentile()}, the wait until
 *     {@link #minSamples()} latencies are known
 * @param percentile null for a fixed delay; else the percentile, in (0, 1), of the group's recent
 *     latencies to wait for (0.95 for p95)
 * @param window how many recent latencies of a group are kept, at least 1
 * @param minSamples how many latencies must be known before the percentile is used, in [1, window]
 * @param minDelay the shortest wait a percentile may give, so that a fast group is not hedged at once
 */
public record HedgePolicy(Duration delay, @Nullable Double percentile, int window, int minSamples,
    Duration minDelay) {

  /** The percentile {@link #p95} waits for: {@value}. */
  public static final double DEFAULT_PERCENTILE = 0.95;
  /** How many recent latencies of a group are kept by default: {@value}. */
  public static final int DEFAULT_WINDOW = 100;
  /** How many latencies must be known before a percentile is used, by default: {@value}. */
  public static final int DEFAULT_MIN_SAMPLES = 20;
  /** The shortest wait a percentile may give by default: 50 milliseconds. */
  public static final Duration DEFAULT_MIN_DELAY = Duration.ofMillis(50);

  public HedgePolicy {
    Check.notNegative(delay, "delay");
    if (percentile != null) {
      Check.that(percentile > 0 && percentile < 1, "percentile must be in (0, 1), was " + percentile);
    }
    Check.atLeast(window, 1, "window");
    Check.atLeast(minSamples, 1, "minSamples");
    Check.that(minSamples <= window, "minSamples (" + minSamples + ") must not exceed window (" + window
        + ")");
    Check.notNegative(minDelay, "minDelay");
  }

  /** Hedge after {@code delay}, always. */
  public static HedgePolicy fixed(Duration delay) {
    return builder().delay(delay).build();
  }

  /**
   * Hedge after the observed p95 ({@link #DEFAULT_PERCENTILE}) of the group's recent latencies, and after
   * {@code initialDelay} until enough are known.
   */
  public static HedgePolicy p95(Duration initialDelay) {
    return builder().delay(initialDelay).percentile(DEFAULT_PERCENTILE).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().delay(delay).percentile(percentile).window(window).minSamples(minSamples)
        .minDelay(minDelay);
  }

  /** Whether the delay follows observed latencies. */
  public boolean isAdaptive() {
    return percentile != null;
  }

  /** Builds a {@link HedgePolicy}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Duration delay;
    private @Nullable Double percentile;
    private int window = DEFAULT_WINDOW;
    private int minSamples = DEFAULT_MIN_SAMPLES;
    private Duration minDelay = DEFAULT_MIN_DELAY;

    private Builder() {}

    /** The wait before the hedge (until enough latencies are known, with a percentile). Required. */
    public Builder delay(Duration delay) {
      this.delay = Check.notNegative(delay, "delay");
      return this;
    }

    /** The percentile of recent latencies to wait for, e.g. 0.95; null for a fixed delay. Defaults to null. */
    public Builder percentile(@Nullable Double percentile) {
      this.percentile = percentile;
      return this;
    }

    /** How many recent latencies of a group are kept. Defaults to {@value #DEFAULT_WINDOW}. */
    public Builder window(int window) {
      this.window = window;
      return this;
    }

    /**
     * How many latencies must be known before the percentile is used. Defaults to
     * {@value #DEFAULT_MIN_SAMPLES}.
     */
    public Builder minSamples(int minSamples) {
      this.minSamples = minSamples;
      return this;
    }

    /** The shortest wait a percentile may give. Defaults to {@link #DEFAULT_MIN_DELAY}, 50 ms. */
    public Builder minDelay(Duration minDelay) {
      this.minDelay = minDelay;
      return this;
    }

    public HedgePolicy build() {
      return new HedgePolicy(Check.nonNull(delay, "delay"), percentile, window, minSamples, minDelay);
    }
  }
}

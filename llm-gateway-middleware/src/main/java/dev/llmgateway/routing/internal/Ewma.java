package dev.llmgateway.routing.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An exponentially weighted moving average, lock-free: each sample moves the average by
 * {@code smoothing * (sample - average)}; the first sample sets it. Concurrent samples are all applied
 * (compare-and-set retries), none lost.
 */
public final class Ewma {
  private static final long EMPTY = Double.doubleToRawLongBits(Double.NaN);
  private final double smoothing;
  private final AtomicLong bits = new AtomicLong(EMPTY);

  public Ewma(double smoothing) {
    this.smoothing = smoothing;
  }

  public void add(double sample) {
    while (true) {
      long current = bits.get();
      double average = Double.longBitsToDouble(current);
      double next = Double.isNaN(average) ? sample : average + smoothing * (sample - average);
      if (bits.compareAndSet(current, Double.doubleToRawLongBits(next))) {
        return;
      }
    }
  }

  /** The average, or NaN before the first sample. */
  public double value() {
    return Double.longBitsToDouble(bits.get());
  }
}

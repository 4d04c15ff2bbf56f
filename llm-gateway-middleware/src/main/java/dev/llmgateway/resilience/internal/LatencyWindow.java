package dev.llmgateway.resilience.internal;

import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** The latest latencies of one group, in a ring of fixed size; thread-safe. */
public final class LatencyWindow {
  private final long[] nanos;
  private int next;
  private int size;

  public LatencyWindow(int capacity) {
    this.nanos = new long[capacity];
  }

  public synchronized void add(Duration latency) {
    nanos[next] = latency.toNanos();
    next = (next + 1) % nanos.length;
    size = Math.min(size + 1, nanos.length);
  }

  public synchronized int size() {
    return size;
  }

  /** The {@code p} percentile (nearest rank) of the latencies kept, or null when there are none. */
  public @Nullable Duration percentile(double p) {
    long[] copy;
    synchronized (this) {
      if (size == 0) {
        return null;
      }
      copy = Arrays.copyOf(nanos, size);
    }
    Arrays.sort(copy);
    int rank = (int) Math.ceil(p * copy.length);
    return Duration.ofNanos(copy[Math.max(0, Math.min(copy.length, rank) - 1)]);
  }
}

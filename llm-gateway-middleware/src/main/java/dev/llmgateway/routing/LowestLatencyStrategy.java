package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.internal.Randoms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Sends calls to the fastest deployments, measured by {@link DeploymentStats}: the moving average of
 * recent calls' latency for blocking calls, and of their time to first token for streams.
 *
 * <ul>
 *   <li>A candidate with no measurement yet (for this kind of call) is tried first, so that new or
 *       recovered deployments get measured; among several, one at random.
 *   <li>Otherwise every candidate whose average is within {@code buffer} of the fastest (at most
 *       {@code fastest * (1 + buffer)}) shares the load, uniformly at random. The buffer keeps a
 *       deployment that is a hair faster from taking every call, and the others measured.
 * </ul>
 *
 * <p>Failures are not latency samples, except timeouts (see {@link DeploymentStats}), so a deployment
 * that fails fast does not look fast.
 */
public final class LowestLatencyStrategy implements RoutingStrategy {
  /** The fraction of the fastest average within which deployments share the load by default: {@value}. */
  public static final double DEFAULT_BUFFER = 0.1;

  private final double buffer;
  private final @Nullable RandomGenerator random;

  /** A buffer of {@value #DEFAULT_BUFFER}, drawing from the calling thread's random generator. */
  public LowestLatencyStrategy() {
    this(DEFAULT_BUFFER, null);
  }

  /**
   * @param buffer how much slower than the fastest a deployment may be and still share the load, as a
   *     fraction: 0.1 is 10%; 0 sends every call to the fastest
   */
  public LowestLatencyStrategy(double buffer) {
    this(buffer, null);
  }

  /**
   * As {@link #LowestLatencyStrategy(double)}, breaking ties with {@code random}; null for the calling
   * thread's {@link java.util.concurrent.ThreadLocalRandom}.
   */
  public LowestLatencyStrategy(double buffer, @Nullable RandomGenerator random) {
    Check.that(buffer >= 0 && Double.isFinite(buffer),
        "lowest-latency buffer must be a finite fraction >= 0, was " + buffer);
    this.buffer = buffer;
    this.random = random;
  }

  /** The buffer, as a fraction of the fastest average. */
  public double buffer() {
    return buffer;
  }

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    List<Deployment> unmeasured = new ArrayList<>();
    long[] nanos = new long[candidates.size()];
    long fastest = Long.MAX_VALUE;
    for (int i = 0; i < candidates.size(); i++) {
      String id = candidates.get(i).id();
      Duration average = context.streaming()
          ? stats.averageTimeToFirstToken(id) : stats.averageLatency(id);
      if (average == null) {
        unmeasured.add(candidates.get(i));
        continue;
      }
      nanos[i] = average.toNanos();
      fastest = Math.min(fastest, nanos[i]);
    }
    if (!unmeasured.isEmpty()) {
      return Randoms.pick(unmeasured, random);
    }
    double limit = fastest * (1 + buffer);
    List<Deployment> fast = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      if (nanos[i] <= limit) {
        fast.add(candidates.get(i));
      }
    }
    return Randoms.pick(fast, random);
  }

  @Override
  public String toString() {
    return "LowestLatencyStrategy[buffer=" + buffer + "]";
  }
}

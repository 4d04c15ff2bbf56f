package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.routing.internal.Randoms;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Picks the candidate with the fewest calls in flight ({@link DeploymentStats#inFlight}), at random among
 * equals. Because the router chooses and counts the new call under one lock, concurrent calls spread
 * exactly: with three deployments and 30 calls held open, each serves 10.
 */
public final class LeastInFlightStrategy implements RoutingStrategy {
  private final @Nullable RandomGenerator random;

  /** Breaks ties with the calling thread's {@link java.util.concurrent.ThreadLocalRandom}. */
  public LeastInFlightStrategy() {
    this.random = null;
  }

  /** Breaks ties with {@code random}. */
  public LeastInFlightStrategy(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    List<Deployment> least = new ArrayList<>();
    int min = Integer.MAX_VALUE;
    for (Deployment d : candidates) {
      int n = stats.inFlight(d.id());
      if (n < min) {
        min = n;
        least.clear();
      }
      if (n == min) {
        least.add(d);
      }
    }
    return Randoms.pick(least, random);
  }

  @Override
  public String toString() {
    return "LeastInFlightStrategy";
  }
}

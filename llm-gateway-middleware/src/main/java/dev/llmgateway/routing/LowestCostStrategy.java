package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.internal.Randoms;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Sends each call to the candidate where it would cost least, by a {@link CostEstimator} (for instance
 * {@link CostEstimator#fromCatalog}, prices from the model catalog applied to the request's estimated
 * tokens). Candidates that cost the same share the load at random; candidates whose cost is unknown are
 * used only when no candidate's cost is known.
 *
 * <pre>{@code
 * new LowestCostStrategy(CostEstimator.fromCatalog(ModelCatalog.bundled()))
 * }</pre>
 *
 * <p>Because the cheapest healthy deployment takes every call, pair it with fallbacks or several
 * deployments: when it cools down or reaches its in-flight limit, the next cheapest takes over.
 */
public final class LowestCostStrategy implements RoutingStrategy {
  private final CostEstimator costs;
  private final @Nullable RandomGenerator random;

  /** Compares by {@code costs}, breaking ties with the calling thread's random generator. */
  public LowestCostStrategy(CostEstimator costs) {
    this(costs, null);
  }

  /** Compares by {@code costs}, breaking ties with {@code random} (null for the thread's own). */
  public LowestCostStrategy(CostEstimator costs, @Nullable RandomGenerator random) {
    this.costs = Check.nonNull(costs, "costs");
    this.random = random;
  }

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    List<Deployment> cheapest = new ArrayList<>();
    BigDecimal min = null;
    for (Deployment d : candidates) {
      BigDecimal cost = costs.estimate(d, request);
      if (cost == null) {
        continue;
      }
      int order = min == null ? -1 : cost.compareTo(min);
      if (order < 0) {
        min = cost;
        cheapest.clear();
      }
      if (order <= 0) {
        cheapest.add(d);
      }
    }
    return Randoms.pick(cheapest.isEmpty() ? candidates : cheapest, random);
  }

  @Override
  public String toString() {
    return "LowestCostStrategy";
  }
}

package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the candidates in turn: the n-th call of the group goes to candidate {@code n mod size}. While the
 * candidates stay the same, every deployment gets the same number of calls, give or take one; weights are
 * ignored.
 *
 * <p>Holds its position, so give each group its own instance: {@code new RoundRobinStrategy()}.
 */
public final class RoundRobinStrategy implements RoutingStrategy {
  private final AtomicLong position = new AtomicLong();

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    return candidates.get((int) Math.floorMod(position.getAndIncrement(), (long) candidates.size()));
  }

  @Override
  public String toString() {
    return "RoundRobinStrategy";
  }
}

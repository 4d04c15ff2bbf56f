package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import java.util.List;

/**
 * Always the first candidate in the group's order: active/passive failover, where the second deployment
 * only serves while the first is cooling down, busy or failing for this call. Stateless; one instance,
 * {@link #INSTANCE}, serves every group.
 */
public final class FirstAvailableStrategy implements RoutingStrategy {
  /** The one instance. */
  public static final FirstAvailableStrategy INSTANCE = new FirstAvailableStrategy();

  private FirstAvailableStrategy() {}

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    return candidates.get(0);
  }

  @Override
  public String toString() {
    return "FirstAvailableStrategy";
  }
}

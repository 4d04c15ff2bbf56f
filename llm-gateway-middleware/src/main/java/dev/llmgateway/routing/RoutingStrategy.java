package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import java.util.List;

/**
 * Picks the deployment a call goes to, from the candidates of its {@link ModelGroup} that can take it
 * right now. Small enough for a lambda:
 *
 * <pre>{@code
 * RoutingStrategy preferEu = (candidates, request, context, stats) -> candidates.stream()
 *     .filter(d -> "eu".equals(d.tags().get("region"))).findFirst().orElse(candidates.get(0));
 * }</pre>
 *
 * <p>The router has already removed the deployments that cannot take the call: those whose context
 * window is too small, those at their in-flight limit, those cooling down and those this call already
 * tried. {@code candidates} is never empty and keeps the group's order. The strategy must return one of
 * them (the router fails fast, naming the strategy, otherwise).
 *
 * <p>The router calls the strategy under its selection lock, so that the choice and the in-flight count
 * it is based on stay consistent under concurrency (see {@link LeastInFlightStrategy}). A strategy must
 * therefore be quick and must never block; a strategy holding state (such as
 * {@link RoundRobinStrategy}'s position) may rely on that lock when it is used by one router only.
 *
 * <p>Built in: {@link RoundRobinStrategy}, {@link WeightedRandomStrategy} (the default),
 * {@link LeastInFlightStrategy}, {@link LowestLatencyStrategy}, {@link LowestCostStrategy},
 * {@link UsageBasedStrategy} and {@link FirstAvailableStrategy}.
 */
@FunctionalInterface
public interface RoutingStrategy {

  /**
   * Picks the deployment for this call.
   *
   * @param candidates the deployments that can take the call, in the group's order; never empty
   * @param request the caller's request (its model still names the group)
   * @param context the call's context; {@link CallContext#streaming()} says whether it is a stream
   * @param stats live counters of every deployment of the router
   * @return one of {@code candidates}
   */
  Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats);
}

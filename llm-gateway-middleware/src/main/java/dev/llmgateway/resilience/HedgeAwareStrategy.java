package dev.llmgateway.resilience;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.DeploymentStats;
import dev.llmgateway.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RoutingStrategy} that sends the concurrent attempts of one call to different deployments: it
 * hands its delegate only the candidates no earlier attempt of the same call was routed to (all of them
 * when none is left), so the hedge of a {@link HedgingInterceptor} placed before the router goes to
 * another deployment than the slow first attempt, whatever the delegate's rule.
 *
 * <p>The router already skips the deployments a call tried; what it cannot see is the attempt still in
 * flight under a sibling of the call's context ({@link CallContext#fork()}), which runs a routing of its
 * own. This strategy remembers, in the call's attributes (which forks share), every deployment it chose
 * for the call. Without hedging it changes nothing.
 *
 * <pre>{@code
 * ModelGroup.builder("fast")
 *     .deployment(...).deployment(...)
 *     .strategy(new HedgeAwareStrategy(new LeastInFlightStrategy()))
 *     .build();
 * }</pre>
 */
public final class HedgeAwareStrategy implements RoutingStrategy {
  private static final AttributeKey<ChosenDeployments> CHOSEN =
      AttributeKey.of("resilience.chosenDeployments", ChosenDeployments.class);

  private final RoutingStrategy delegate;

  /** Avoids the call's other deployments, then lets {@code delegate} choose. */
  public HedgeAwareStrategy(RoutingStrategy delegate) {
    this.delegate = Check.nonNull(delegate, "delegate");
  }

  public RoutingStrategy delegate() {
    return delegate;
  }

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    Set<String> chosen = context.computeIfAbsent(CHOSEN, k -> new ChosenDeployments()).ids;
    List<Deployment> fresh = new ArrayList<>(candidates.size());
    for (Deployment d : candidates) {
      if (!chosen.contains(d.id())) {
        fresh.add(d);
      }
    }
    Deployment choice = delegate.choose(fresh.isEmpty() ? candidates : List.copyOf(fresh), request,
        context, stats);
    if (choice != null) {
      chosen.add(choice.id());
    }
    return choice;
  }

  @Override
  public String toString() {
    return "HedgeAwareStrategy[" + delegate + "]";
  }

  /** The ids of the deployments chosen for one call. */
  private static final class ChosenDeployments {
    final Set<String> ids = ConcurrentHashMap.newKeySet();
  }
}

package dev.llmgateway.routing.internal;

import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.DeploymentHealth;
import dev.llmgateway.routing.DeploymentStats;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.TokenEstimator;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What every call of one router shares: its groups, health, stats and clock, the context windows of its
 * deployments, and the lock under which a deployment is chosen and counted.
 *
 * @param contextWindows known context windows by deployment id; absent when unknown
 */
public record RouterConfig(Map<String, ModelGroup> groups, DeploymentHealth health,
    DeploymentStats stats, Clock clock, TokenEstimator tokens, Map<String, Integer> contextWindows,
    ReentrantLock selectionLock) {

  public RouterConfig {
    groups = Map.copyOf(groups);
    contextWindows = Map.copyOf(contextWindows);
  }

  public @Nullable Integer contextWindow(Deployment deployment) {
    return contextWindows.get(deployment.id());
  }
}

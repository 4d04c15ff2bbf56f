package dev.llmgateway.routing;

import dev.llmgateway.gateway.internal.Check;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A model alias served by several deployments, such as {@code "fast"} or {@code "gpt-4o"}: a request
 * whose model names the group is routed to one of its {@link Deployment}s by its
 * {@link RoutingStrategy}, and when they all fail, to the groups of the matching fallback list.
 *
 * <pre>{@code
 * ModelGroup gpt4o = ModelGroup.builder("gpt-4o")
 *     .deployment(Deployment.of("openai", "openai/gpt-4o"))
 *     .deployment(Deployment.builder("azure-eu", "azure-eu/gpt-4o").catalogModel("openai/gpt-4o").build())
 *     .strategy(new LowestLatencyStrategy())
 *     .fallbacks("claude-sonnet")              // any other failure
 *     .contextLengthFallbacks("gemini-pro")    // the request does not fit
 *     .contentFilterFallbacks("claude-sonnet") // the provider's safety filter refused it
 *     .build();
 * }</pre>
 *
 * <p>Fallback lists name other groups of the same router, tried in order, each at most once per call.
 * Only the requested group's lists are followed (not the fallback groups' own lists), so the path a call
 * may take is visible in one place. See {@link RouterInterceptor} for which failures lead where.
 *
 * @param name the alias requests use as their model; unique within a router
 * @param deployments the deployments, in order (the order {@link FirstAvailableStrategy} and ties keep);
 *     at least one, ids unique
 * @param strategy picks a deployment for each call
 * @param fallbacks groups to try, in order, when every deployment failed for a reason another model may
 *     not have (unavailable, rate limited, timed out, rejected key...)
 * @param contextLengthFallbacks groups to try, in order, when the request did not fit (a
 *     {@link dev.llmgateway.error.ContextLengthExceededException}, or no deployment's context window could
 *     hold it); typically larger-context models
 * @param contentFilterFallbacks groups to try, in order, when a provider's safety filter refused the
 *     request ({@link dev.llmgateway.error.ContentFilteredException})
 */
public record ModelGroup(String name, List<Deployment> deployments, RoutingStrategy strategy,
    List<String> fallbacks, List<String> contextLengthFallbacks, List<String> contentFilterFallbacks) {

  /**
   * The strategy of a group by default: a {@link WeightedRandomStrategy} on the calling thread's random
   * generator (stateless, so one instance serves every group); with default weights, a uniform shuffle.
   */
  public static final RoutingStrategy DEFAULT_STRATEGY = new WeightedRandomStrategy();

  public ModelGroup {
    Check.nonBlank(name, "group.name");
    deployments = Check.copyOf(deployments, "group '" + name + "' deployments");
    Check.that(!deployments.isEmpty(), "group '" + name + "' has no deployments");
    Set<String> ids = new HashSet<>();
    for (Deployment d : deployments) {
      Check.that(ids.add(d.id()), "group '" + name + "' has two deployments with id '" + d.id() + "'");
    }
    Check.nonNull(strategy, "group '" + name + "' strategy");
    fallbacks = checkedFallbacks(name, fallbacks, "fallbacks");
    contextLengthFallbacks = checkedFallbacks(name, contextLengthFallbacks, "contextLengthFallbacks");
    contentFilterFallbacks = checkedFallbacks(name, contentFilterFallbacks, "contentFilterFallbacks");
  }

  private static List<String> checkedFallbacks(String name, List<String> groups, String field) {
    List<String> copy = Check.copyOf(groups, "group '" + name + "' " + field);
    Set<String> seen = new HashSet<>();
    for (String g : copy) {
      Check.nonBlank(g, "group '" + name + "' " + field + " entry");
      Check.that(!g.equals(name), "group '" + name + "' lists itself in its " + field);
      Check.that(seen.add(g), "group '" + name + "' lists '" + g + "' twice in its " + field);
    }
    return copy;
  }

  /** A builder for group {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this group's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.deployments.addAll(deployments);
    b.strategy = strategy;
    b.fallbacks.addAll(fallbacks);
    b.contextLengthFallbacks.addAll(contextLengthFallbacks);
    b.contentFilterFallbacks.addAll(contentFilterFallbacks);
    return b;
  }

  /** The deployment with this id, or null. */
  public @Nullable Deployment deployment(String id) {
    for (Deployment d : deployments) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    return null;
  }

  /** Builds a {@link ModelGroup}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final List<Deployment> deployments = new ArrayList<>();
    private RoutingStrategy strategy = DEFAULT_STRATEGY;
    private final List<String> fallbacks = new ArrayList<>();
    private final List<String> contextLengthFallbacks = new ArrayList<>();
    private final List<String> contentFilterFallbacks = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Appends a deployment. At least one is required. */
    public Builder deployment(Deployment deployment) {
      deployments.add(Check.nonNull(deployment, "deployment"));
      return this;
    }

    /** Appends deployments. */
    public Builder deployments(List<Deployment> deployments) {
      Check.copyOf(deployments, "deployments").forEach(this::deployment);
      return this;
    }

    /** How a deployment is picked. Defaults to {@link #DEFAULT_STRATEGY}, weighted random. */
    public Builder strategy(RoutingStrategy strategy) {
      this.strategy = Check.nonNull(strategy, "strategy");
      return this;
    }

    /** Replaces the general fallback groups, in order. Defaults to none. */
    public Builder fallbacks(String... groups) {
      return replace(fallbacks, groups);
    }

    /** Replaces the groups for requests that do not fit, in order. Defaults to none. */
    public Builder contextLengthFallbacks(String... groups) {
      return replace(contextLengthFallbacks, groups);
    }

    /** Replaces the groups for requests a safety filter refused, in order. Defaults to none. */
    public Builder contentFilterFallbacks(String... groups) {
      return replace(contentFilterFallbacks, groups);
    }

    private Builder replace(List<String> list, String[] groups) {
      list.clear();
      list.addAll(Check.copyOf(Arrays.asList(Check.nonNull(groups, "groups")), "groups"));
      return this;
    }

    public ModelGroup build() {
      return new ModelGroup(name, deployments, strategy, fallbacks, contextLengthFallbacks,
          contentFilterFallbacks);
    }
  }
}

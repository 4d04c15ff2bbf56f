package dev.llmgateway.routing;

import dev.llmgateway.Attempt;
import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.routing.internal.CallRoute;
import dev.llmgateway.routing.internal.CatalogLookup;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.internal.RoutedStream;
import dev.llmgateway.routing.internal.RouterConfig;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The router: sends a request whose model names a {@link ModelGroup} to one of the group's
 * {@link Deployment}s, and on failure to another deployment or fallback group. Its place in the pipeline
 * is after the cache and before the resilience interceptor (which retries one deployment).
 *
 * <p>Usually the gateway builds it, in that place, from its model groups:
 * {@code LlmGateway.builder().modelGroup(fast).modelGroup(backup).routing(router -> router.clock(clock))}
 * (see {@link dev.llmgateway.gateway.LlmGatewayBuilder#modelGroup}). Built by hand, it is added like any
 * interceptor:
 *
 * <pre>{@code
 * RouterInterceptor router = RouterInterceptor.builder()
 *     .group(ModelGroup.builder("fast")
 *         .deployment(Deployment.of("mini-us", "openai/gpt-4o-mini"))
 *         .deployment(Deployment.of("mini-eu", "openai-eu/gpt-4o-mini"))
 *         .strategy(new LeastInFlightStrategy())
 *         .fallbacks("fast-backup")
 *         .build())
 *     .group(ModelGroup.builder("fast-backup")
 *         .deployment(Deployment.of("haiku", "anthropic/claude-3-5-haiku-latest")).build())
 *     .build();
 * LlmGateway gateway = LlmGateway.builder().addInterceptor(router)...build();
 * }</pre>
 *
 * <p><b>Choosing.</b> The {@link GroupSelector}s are asked first, in order; when none answers, the
 * request's model is looked up as a group name. A request that names no group passes through untouched.
 * From the group, the router drops the deployments this call already tried, those whose context window
 * (the deployment's, else the model catalog's; unknown windows never drop) cannot hold the estimated
 * input tokens plus {@code maxTokens}, those the {@link DeploymentHealth} says are cooling down and those
 * at their {@code maxInFlight}. The group's {@link RoutingStrategy} picks one of the rest, the request's
 * model is rewritten to the deployment's {@code target}, and the chain proceeds.
 *
 * <p><b>Failing over.</b> Each deployment is tried at most once per call, each group at most once. After a
 * failure the router tries the group's next eligible deployment, and when the group has none left, the
 * first untried group of the requested group's fallback list that matches the last failure:
 * <ul>
 *   <li>{@link dev.llmgateway.error.ContextLengthExceededException} (or no deployment of the group fits):
 *       the context-length fallbacks. Deployments whose known window is no larger than the one that
 *       refused are skipped from then on;
 *   <li>{@link dev.llmgateway.error.ContentFilteredException}: the content-filter fallbacks (another
 *       deployment of the group may have another filter, so the group is tried first);
 *   <li>anything retryable (unavailable, overloaded, timed out, malformed answer, stream cut before its
 *       first answer chunk), {@link dev.llmgateway.error.RateLimitedException} (quota included) and
 *       {@link dev.llmgateway.error.AuthenticationException}: the general fallbacks. An authentication
 *       failure counts as the deployment's: the gateway holds a key per deployment, and the caller sends
 *       none, so another deployment's key may well work;
 *   <li>{@link dev.llmgateway.error.UnsupportedFeatureException} naming a provider (the model lacks
 *       tools, images...): the general fallbacks, as another model may have the feature.
 * </ul>
 * Errors that would fail everywhere are rethrown at once, unchanged, with the earlier failures of the
 * call attached as suppressed exceptions: any other {@link dev.llmgateway.error.InvalidRequestException}
 * (including a provider's 404 for an unknown model: a deployment misconfiguration to fix, not hide),
 * guard refusals, budgets, configuration errors and cancellation. When no deployment is left, or every
 * one is cooling down, the router throws a {@link dev.llmgateway.error.NoDeploymentAvailableException} at
 * once, without calling upstream, with every attempt's failure and every skipped deployment's reason
 * attached ({@code attempts()}), the {@link Attempt} records ({@code attemptLog()}) and the soonest end
 * of a cooldown as its {@code retryAfter}. Moving to another group is reported with
 * {@link dev.llmgateway.ChatEventListener#onFallback}.
 *
 * <p><b>Streams</b> follow the same rules until the first chunk that carries part of the answer (text,
 * thinking, a refusal, a tool call or a finish; {@link ChatChunk.Start} and usage chunks before it are
 * held back and replayed): the router pulls up to that chunk itself, so a stream that fails before it
 * falls over transparently. After it, an error reaches the caller as it is (a cut connection as a
 * {@link dev.llmgateway.error.StreamInterruptedException}): an answer is never spliced from two models.
 *
 * <p><b>Visibility.</b> Every attempt is recorded as an {@link Attempt} in the call's {@link AttemptLog}
 * under {@link #ATTEMPTS}, which {@link dev.llmgateway.gateway.LlmGateway} copies onto the final
 * {@link ChatResponse#attempts()}; the latest chosen deployment and its group are under
 * {@link #DEPLOYMENT} and {@link #GROUP}. {@link DeploymentStats} and the {@link DeploymentHealth} are
 * updated around each attempt (the health's {@link DeploymentHealth#tryAcquire} under the router's lock
 * for the deployment chosen).
 *
 * <p>Thread-safe; one instance serves every call of a gateway.
 */
public final class RouterInterceptor implements Interceptor {
  /** Every attempt of the call, oldest first. */
  public static final AttributeKey<AttemptLog> ATTEMPTS =
      AttributeKey.of("routing.attempts", AttemptLog.class);
  /** The deployment of the latest attempt (for inner interceptors, e.g. a circuit breaker per deployment). */
  public static final AttributeKey<Deployment> DEPLOYMENT =
      AttributeKey.of("routing.deployment", Deployment.class);
  /** The group of the latest attempt. */
  public static final AttributeKey<String> GROUP = AttributeKey.of("routing.group", String.class);

  /** The clock of cooldowns, latencies and minutes by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** How request tokens are estimated by default: {@link TokenEstimator#CHARS_OVER_FOUR}. */
  public static final TokenEstimator DEFAULT_TOKEN_ESTIMATOR = TokenEstimator.CHARS_OVER_FOUR;
  /** Where context windows come from by default: {@link ModelCatalog#bundled()}. */
  public static final ModelCatalog DEFAULT_MODEL_CATALOG = ModelCatalog.bundled();

  private final Map<String, ModelGroup> groups;
  private final List<GroupSelector> selectors;
  private final ModelCatalog modelCatalog;
  private final RouterConfig config;

  private RouterInterceptor(Builder b, Map<String, ModelGroup> groups) {
    this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    this.selectors = List.copyOf(b.selectors);
    this.modelCatalog = b.modelCatalog;
    Map<String, Integer> windows = new HashMap<>();
    for (ModelGroup g : groups.values()) {
      for (Deployment d : g.deployments()) {
        Integer window = CatalogLookup.contextWindow(b.modelCatalog, d);
        if (window != null) {
          windows.put(d.id(), window);
        }
      }
    }
    DeploymentHealth health = b.health != null ? b.health : CooldownHealth.create();
    DeploymentStats stats = b.stats != null ? b.stats : new DeploymentStats(b.clock);
    this.config = new RouterConfig(groups, health, stats, b.clock, b.tokens, windows, new ReentrantLock());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The groups, by name, in the order added. */
  public Map<String, ModelGroup> groups() {
    return groups;
  }

  /** The group selectors, in the order they are consulted. */
  public List<GroupSelector> groupSelectors() {
    return selectors;
  }

  public DeploymentHealth health() {
    return config.health();
  }

  public DeploymentStats stats() {
    return config.stats();
  }

  public Clock clock() {
    return config.clock();
  }

  public TokenEstimator tokenEstimator() {
    return config.tokens();
  }

  public ModelCatalog modelCatalog() {
    return modelCatalog;
  }

  /** The context window the router assumes for {@code deployment}; null when unknown. */
  public @Nullable Integer contextWindow(Deployment deployment) {
    return config.contextWindow(deployment);
  }

  /**
   * The group {@code request} is routed to: the first answer of the selectors, else the group its model
   * names; null when it names none (the request passes through).
   *
   * @throws LlmConfigurationException when a selector names a group this router does not have
   */
  public @Nullable ModelGroup groupFor(ChatRequest request) {
    for (GroupSelector selector : selectors) {
      String name = selector.select(request);
      if (name != null) {
        ModelGroup group = groups.get(name);
        if (group == null) {
          throw new LlmConfigurationException("group selector " + selector + " chose group '" + name
              + "', which this router does not have; its groups are " + groups.keySet());
        }
        return group;
      }
    }
    return groups.get(request.model());
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    ModelGroup group = groupFor(request);
    if (group == null) {
      return chain.proceed(request);
    }
    CallRoute route = new CallRoute(config, group, request, chain.context());
    while (true) {
      CallRoute.Lease lease = route.next();
      ChatResponse response;
      try {
        response = chain.proceed(lease.request());
      } catch (LlmException e) {
        route.failed(lease, e);
        continue;
      } catch (RuntimeException | Error e) {
        route.unexpected(lease, e);
        throw e;
      }
      route.succeeded(lease, response.usage());
      return response;
    }
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    ModelGroup group = groupFor(request);
    if (group == null) {
      return chain.proceed(request);
    }
    CallContext context = chain.context();
    CallRoute route = new CallRoute(config, group, request, context);
    while (true) {
      CallRoute.Lease lease = route.next();
      ChatStream stream;
      try {
        stream = chain.proceed(lease.request());
      } catch (LlmException e) {
        route.failed(lease, e);
        continue;
      } catch (RuntimeException | Error e) {
        route.unexpected(lease, e);
        throw e;
      }
      ArrayDeque<ChatChunk> held = new ArrayDeque<>();
      boolean ended;
      try {
        ended = pullToFirstAnswerChunk(stream, held);
      } catch (LlmException e) {
        stream.close();
        route.failed(lease, e);
        continue;
      } catch (RuntimeException | Error e) {
        stream.close();
        route.unexpected(lease, e);
        throw e;
      }
      if (!ended) {
        lease.call().firstToken();
      }
      return new RoutedStream(stream, held, ended, route, lease);
    }
  }

  /**
   * Pulls chunks into {@code held} up to and including the first that carries part of the answer.
   *
   * @return true when the stream ended before any such chunk
   */
  private static boolean pullToFirstAnswerChunk(ChatStream stream, ArrayDeque<ChatChunk> held) {
    while (true) {
      ChatChunk chunk = stream.next();
      if (chunk == null) {
        return true;
      }
      held.add(chunk);
      if (!(chunk instanceof ChatChunk.Start) && !(chunk instanceof ChatChunk.UsageUpdate)) {
        return false;
      }
    }
  }

  @Override
  public String toString() {
    return "RouterInterceptor" + groups.keySet();
  }

  /**
   * Builds a {@link RouterInterceptor}. Not thread-safe. {@link #build()} checks the configuration as a
   * whole: group names are unique, every fallback names a group, a deployment id shared by groups means
   * the same deployment, and every variant of an {@link AbSplit} is a group.
   */
  public static final class Builder {
    private final List<ModelGroup> groupList = new ArrayList<>();
    private final List<GroupSelector> selectors = new ArrayList<>();
    private @Nullable DeploymentHealth health;
    private @Nullable DeploymentStats stats;
    private Clock clock = DEFAULT_CLOCK;
    private TokenEstimator tokens = DEFAULT_TOKEN_ESTIMATOR;
    private ModelCatalog modelCatalog = DEFAULT_MODEL_CATALOG;

    private Builder() {}

    /** Adds a group. At least one is required. */
    public Builder group(ModelGroup group) {
      groupList.add(Check.nonNull(group, "group"));
      return this;
    }

    /** Adds a selector, consulted after those added before it. Defaults to none. */
    public Builder groupSelector(GroupSelector selector) {
      selectors.add(Check.nonNull(selector, "selector"));
      return this;
    }

    /**
     * Cooldowns or circuit breakers per deployment. Defaults to a new {@link CooldownHealth} with its
     * defaults, one per router.
     */
    public Builder health(DeploymentHealth health) {
      this.health = Check.nonNull(health, "health");
      return this;
    }

    /**
     * The counters strategies read. Defaults to new {@link DeploymentStats} on this builder's
     * {@link #clock}, one per router. Share one instance between routers to make them see each other's
     * load.
     */
    public Builder stats(DeploymentStats stats) {
      this.stats = Check.nonNull(stats, "stats");
      return this;
    }

    /** The time of cooldowns (and of the default stats). Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /**
     * How many input tokens a request is assumed to have, against context windows and for token counts.
     * Defaults to {@link #DEFAULT_TOKEN_ESTIMATOR}, characters divided by four.
     */
    public Builder tokenEstimator(TokenEstimator tokens) {
      this.tokens = Check.nonNull(tokens, "tokenEstimator");
      return this;
    }

    /**
     * Where the context windows of deployments that set none come from; use the gateway's catalog.
     * Defaults to {@link #DEFAULT_MODEL_CATALOG}, the bundled one.
     */
    public Builder modelCatalog(ModelCatalog catalog) {
      this.modelCatalog = Check.nonNull(catalog, "modelCatalog");
      return this;
    }

    /**
     * The router.
     *
     * @throws LlmConfigurationException naming the first contradiction in the configuration
     */
    public RouterInterceptor build() {
      Check.that(!groupList.isEmpty(), "a router needs at least one model group");
      Map<String, ModelGroup> groups = new LinkedHashMap<>();
      Map<String, Deployment> deployments = new HashMap<>();
      for (ModelGroup g : groupList) {
        Check.that(groups.putIfAbsent(g.name(), g) == null, "two groups are named '" + g.name() + "'");
        for (Deployment d : g.deployments()) {
          Deployment other = deployments.putIfAbsent(d.id(), d);
          Check.that(other == null || other.equals(d), "deployment id '" + d.id()
              + "' names two different deployments: " + other + " and " + d);
        }
      }
      for (ModelGroup g : groupList) {
        checkFallbacks(groups, g, g.fallbacks(), "fallbacks");
        checkFallbacks(groups, g, g.contextLengthFallbacks(), "contextLengthFallbacks");
        checkFallbacks(groups, g, g.contentFilterFallbacks(), "contentFilterFallbacks");
      }
      for (GroupSelector selector : selectors) {
        if (selector instanceof AbSplit split) {
          for (AbSplit.Variant v : split.variants()) {
            Check.that(groups.containsKey(v.group()), "A/B split '" + split.experiment()
                + "' sends users to group '" + v.group() + "', which is not configured; groups are "
                + groups.keySet());
          }
        }
      }
      return new RouterInterceptor(this, groups);
    }

    private static void checkFallbacks(Map<String, ModelGroup> groups, ModelGroup g, List<String> names,
        String field) {
      for (String name : names) {
        Check.that(groups.containsKey(name), "group '" + g.name() + "' lists '" + name + "' in its "
            + field + ", but no group has that name; groups are " + groups.keySet());
      }
    }
  }
}

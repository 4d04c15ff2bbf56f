package dev.llmgateway.gateway;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Interceptor;
import dev.llmgateway.RequestInterceptor;
import dev.llmgateway.cache.CacheInterceptor;
import dev.llmgateway.cache.SemanticCacheInterceptor;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.context.ContextWindowInterceptor;
import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.gateway.internal.LateEmbeddingClient;
import dev.llmgateway.gateway.internal.ListenerFanOut;
import dev.llmgateway.gateway.internal.ProviderCall;
import dev.llmgateway.gateway.internal.ProviderRegistry;
import dev.llmgateway.internal.Require;
import dev.llmgateway.observe.LoggingChatEventListener;
import dev.llmgateway.resilience.CircuitBreakerHealth;
import dev.llmgateway.resilience.CircuitBreakerPolicy;
import dev.llmgateway.resilience.HedgeAwareStrategy;
import dev.llmgateway.resilience.HedgePolicy;
import dev.llmgateway.resilience.HedgingInterceptor;
import dev.llmgateway.resilience.RetryInterceptor;
import dev.llmgateway.resilience.RetryPolicy;
import dev.llmgateway.resilience.TimeoutInterceptor;
import dev.llmgateway.resilience.TimeoutPolicy;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.SharedResources;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Configures an {@link LlmGateway}: providers, model aliases, model groups and routing, retries, circuit
 * breakers, timeouts and hedging, context windows, response caches, interceptors, listeners and the model
 * catalog. Not thread-safe;
 * {@link #build()} may be called more than once, each time giving an independent gateway.
 *
 * <p>Providers come from three places, the first that knows a name winning: providers registered with
 * {@link #provider(ChatProvider)}; factories registered with {@link #providerFactory}; and factories
 * discovered through {@link ServiceLoader} (unless {@link #discoverProviders(boolean)} is off). A provider
 * that an alias, a deployment of a model group, the default provider or {@link #configureProvider} names
 * is created when the gateway is built, so a missing API key fails then, not on the first call.
 *
 * <p><b>Context windows and caches.</b> {@link #contextWindow}, {@link #cache(Consumer)} and
 * {@link #semanticCache(String, Consumer)} install those interceptors just inside the host's own, wired to
 * the gateway's catalog, aliases and router.
 *
 * <p><b>Routing and resilience.</b> {@link #modelGroup}, {@link #routing}, {@link #retries},
 * {@link #circuitBreakers}, {@link #timeouts} and {@link #hedging} install built-in interceptors, in the
 * design's order, outermost first: the whole-call timeout, hedging, the router, retries, the first-token
 * and idle timeouts of each attempt, then the provider call. They run on the gateway's own scheduler and
 * executor. The host's interceptors ({@link #addInterceptor(Interceptor)}) keep their order and sit
 * outside all of them, unless placed elsewhere with
 * {@link #addInterceptor(InterceptorPosition, Interceptor)}; {@link InterceptorPosition} shows the whole
 * pipeline.
 *
 * <pre>{@code
 * LlmGateway gateway = LlmGateway.builder()
 *     .provider(openAiUs).provider(openAiEu)
 *     .modelGroup(ModelGroup.builder("fast")
 *         .deployment(Deployment.of("us", "openai/gpt-4o-mini"))
 *         .deployment(Deployment.of("eu", "openai-eu/gpt-4o-mini"))
 *         .build())
 *     .routing(router -> router.health(CooldownHealth.builder().cooldown(Duration.ofSeconds(20)).build()))
 *     .retries(RetryPolicy.DEFAULT)
 *     .timeouts(TimeoutPolicy.NONE.withWholeCall(Duration.ofSeconds(30)), Map.of())
 *     .build();
 * }</pre>
 */
public final class LlmGatewayBuilder {
  /** Whether a {@link LoggingChatEventListener} is installed by default: yes. */
  public static final boolean DEFAULT_LOGGING = true;
  /** Whether provider factories are discovered with {@link ServiceLoader} by default: yes. */
  public static final boolean DEFAULT_DISCOVER_PROVIDERS = true;
  /** The model catalog requests are checked against by default: {@link ModelCatalog#bundled()}. */
  public static final ModelCatalog DEFAULT_MODEL_CATALOG = ModelCatalog.bundled();
  /**
   * The retries by default: {@link RetryPolicy#none()}, none (no retry interceptor is installed; the
   * router still moves on to the next deployment when one fails).
   */
  public static final RetryPolicy DEFAULT_RETRIES = RetryPolicy.none();
  /** The timeouts of calls whose group and request set none, by default: {@link TimeoutPolicy#NONE}. */
  public static final TimeoutPolicy DEFAULT_TIMEOUTS = TimeoutPolicy.NONE;
  /** The timeouts per model group by default: none. */
  public static final Map<String, TimeoutPolicy> DEFAULT_TIMEOUTS_BY_GROUP = Map.of();
  /** The hedged model groups by default: none. */
  public static final Map<String, HedgePolicy> DEFAULT_HEDGING = Map.of();
  /**
   * The circuit breakers by default: none; the router keeps its own health, a
   * {@link dev.llmgateway.routing.CooldownHealth} unless {@link #routing} sets another.
   */
  public static final @Nullable CircuitBreakerPolicy DEFAULT_CIRCUIT_BREAKERS = null;
  /** Where {@link #addInterceptor(Interceptor)} puts an interceptor: {@link InterceptorPosition#OUTERMOST}. */
  public static final InterceptorPosition DEFAULT_INTERCEPTOR_POSITION = InterceptorPosition.OUTERMOST;

  private final Map<String, ChatProvider> providers = new LinkedHashMap<>();
  private final List<ChatProviderFactory> factories = new ArrayList<>();
  private final Map<String, List<Consumer<ProviderSettings.Builder>>> providerConfig = new LinkedHashMap<>();
  private final Map<String, ModelRef> aliases = new LinkedHashMap<>();
  private @Nullable String defaultProvider;
  private final Map<InterceptorPosition, List<Interceptor>> interceptors =
      new EnumMap<>(InterceptorPosition.class);
  private final List<ModelGroup> modelGroups = new ArrayList<>();
  private final List<Consumer<RouterInterceptor.Builder>> routing = new ArrayList<>();
  private RetryPolicy retries = DEFAULT_RETRIES;
  private boolean timeoutsSet;
  private TimeoutPolicy timeouts = DEFAULT_TIMEOUTS;
  private Map<String, TimeoutPolicy> timeoutsByGroup = DEFAULT_TIMEOUTS_BY_GROUP;
  private Map<String, HedgePolicy> hedging = DEFAULT_HEDGING;
  private @Nullable CircuitBreakerPolicy circuitBreakers = DEFAULT_CIRCUIT_BREAKERS;
  private final List<ChatEventListener> listeners = new ArrayList<>();
  private boolean logging = DEFAULT_LOGGING;
  private boolean discoverProviders = DEFAULT_DISCOVER_PROVIDERS;
  private final Map<Class<?>, Object> sharedResources = new LinkedHashMap<>();
  private @Nullable ExecutorService executor;
  private Function<String, @Nullable String> environment = System::getenv;
  private ModelCatalog modelCatalog = DEFAULT_MODEL_CATALOG;
  private @Nullable Consumer<CacheInterceptor.Builder> cache;
  private @Nullable Consumer<ContextWindowInterceptor.Builder> contextWindow;
  private @Nullable SemanticCacheSettings semanticCache;

  /** What {@link #semanticCache} was given; the interceptor is built with the router and catalog. */
  private record SemanticCacheSettings(@Nullable EmbeddingClient embeddings, String embeddingModel,
      Consumer<SemanticCacheInterceptor.Builder> customizer) {}

  LlmGatewayBuilder() {}

  /** Registers a ready provider under its {@link ChatProvider#name()}; it wins over any factory. */
  public LlmGatewayBuilder provider(ChatProvider provider) {
    Require.nonNull(provider, "provider");
    String name = Require.nonBlank(provider.name(), "provider.name()");
    if (providers.putIfAbsent(name, provider) != null) {
      throw new LlmConfigurationException("a provider named '" + name + "' is already registered");
    }
    return this;
  }

  /** Registers a factory; it wins over discovered factories for the names it serves. */
  public LlmGatewayBuilder providerFactory(ChatProviderFactory factory) {
    factories.add(Require.nonNull(factory, "factory"));
    return this;
  }

  /**
   * Adjusts the settings a factory creates provider {@code name} with (base URL, keys, headers,
   * options). The provider is then created when the gateway is built.
   */
  public LlmGatewayBuilder configureProvider(String name, Consumer<ProviderSettings.Builder> customizer) {
    Require.nonBlank(name, "provider name");
    providerConfig.computeIfAbsent(name, n -> new ArrayList<>()).add(Require.nonNull(customizer, "customizer"));
    return this;
  }

  /** Makes {@code alias} (e.g. {@code fast}) mean {@code target} (e.g. {@code openai/gpt-4o-mini}). */
  public LlmGatewayBuilder alias(String alias, String target) {
    Require.nonBlank(alias, "alias");
    ModelRef ref = ModelRef.parse(target);
    ModelRef previous = aliases.putIfAbsent(alias, ref);
    if (previous != null && !previous.equals(ref)) {
      throw new LlmConfigurationException(
          "alias '" + alias + "' already means " + previous + "; cannot also mean " + ref);
    }
    return this;
  }

  /**
   * The provider for model names that are neither aliases nor {@code provider/model}. Defaults to none
   * (such names are an error), except that a gateway with exactly one explicitly registered provider
   * uses that one.
   */
  public LlmGatewayBuilder defaultProvider(String name) {
    this.defaultProvider = Require.nonBlank(name, "defaultProvider");
    return this;
  }

  /**
   * Appends an interceptor at {@link #DEFAULT_INTERCEPTOR_POSITION}: outside every built-in interceptor
   * (timeouts, hedging, router, retries), after the interceptors added there before it. The first added
   * is the outermost.
   */
  public LlmGatewayBuilder addInterceptor(Interceptor interceptor) {
    return addInterceptor(DEFAULT_INTERCEPTOR_POSITION, interceptor);
  }

  /**
   * Appends an interceptor at {@code position} relative to the built-in interceptors, after those added
   * there before it; see {@link InterceptorPosition} for the whole pipeline.
   */
  public LlmGatewayBuilder addInterceptor(InterceptorPosition position, Interceptor interceptor) {
    Require.nonNull(position, "position");
    interceptors.computeIfAbsent(position, p -> new ArrayList<>())
        .add(Require.nonNull(interceptor, "interceptor"));
    return this;
  }

  /**
   * Adds a model group: an alias such as {@code "fast"} served by several deployments, which a router
   * installed by the gateway picks from and falls back between (see
   * {@link dev.llmgateway.routing.RouterInterceptor}). Repeatable; group names must be unique and may not
   * equal an {@link #alias}. Every deployment's provider counts as named: it is created when the gateway
   * is built, so a missing provider or API key fails then, naming it. Defaults to none (no router).
   */
  public LlmGatewayBuilder modelGroup(ModelGroup group) {
    modelGroups.add(Require.nonNull(group, "modelGroup"));
    return this;
  }

  /**
   * Adjusts the router the gateway installs for its model groups: its health (cooldowns or
   * {@link #circuitBreakers}), stats, clock, token estimator, group selectors and A/B splits, or more
   * groups. Repeatable; customizers run in order, after the gateway's own settings (the groups of
   * {@link #modelGroup}, the gateway's {@link #modelCatalog}, the circuit breakers), so they may override
   * them, except that a health set here contradicts {@link #circuitBreakers} and fails the build. Defaults
   * to none: the router's own defaults.
   *
   * <pre>{@code
   * builder.routing(router -> router
   *     .groupSelector(AbSplit.builder("trial", "chat").variant("chat-a", 50).variant("chat-b", 50).build())
   *     .health(CooldownHealth.builder().failureThreshold(2).build()));
   * }</pre>
   */
  public LlmGatewayBuilder routing(Consumer<RouterInterceptor.Builder> customizer) {
    routing.add(Require.nonNull(customizer, "routing customizer"));
    return this;
  }

  /**
   * Retries failed calls as {@code policy} says, on the deployment the router chose (inside the router,
   * which falls back to another deployment once the retries are used up), or on the provider when the
   * model names no group. Streams are retried only before their first answer chunk. Defaults to
   * {@link #DEFAULT_RETRIES}: no retries.
   */
  public LlmGatewayBuilder retries(RetryPolicy policy) {
    this.retries = Require.nonNull(policy, "retries");
    return this;
  }

  /**
   * Puts the router's deployments behind Resilience4j circuit breakers configured by {@code policy}, one
   * per deployment ({@link CircuitBreakerHealth}), in place of the default cooldowns. Needs model groups.
   * Defaults to {@link #DEFAULT_CIRCUIT_BREAKERS}: none, cooldowns.
   */
  public LlmGatewayBuilder circuitBreakers(CircuitBreakerPolicy policy) {
    this.circuitBreakers = Require.nonNull(policy, "circuitBreakers");
    return this;
  }

  /**
   * Limits how long calls may take: {@code defaultPolicy} for every call, {@code byGroup} per model group
   * (or alias, or {@code provider/model}), each request's own {@link TimeoutPolicy#CALL_OPTION} over both,
   * the most specific setting of each limit winning. The whole-call limit is enforced outside every other
   * built-in (retries and fallbacks included); the first-token and idle limits of streams are enforced
   * per attempt, inside the retries, so an attempt that times out is retried or falls back. Per-request
   * policies take effect only once this was called: call {@code timeouts(TimeoutPolicy.NONE, Map.of())}
   * to honour them without gateway-wide limits. Timers run on the gateway's scheduler. Defaults to
   * {@link #DEFAULT_TIMEOUTS} and {@link #DEFAULT_TIMEOUTS_BY_GROUP}: no limits, and no timeout
   * interceptor installed.
   */
  public LlmGatewayBuilder timeouts(TimeoutPolicy defaultPolicy, Map<String, TimeoutPolicy> byGroup) {
    this.timeouts = Require.nonNull(defaultPolicy, "timeouts defaultPolicy");
    Map<String, TimeoutPolicy> groups = Require.copyOf(byGroup, "timeouts byGroup");
    groups.keySet().forEach(name -> Require.nonBlank(name, "timeouts byGroup key"));
    this.timeoutsByGroup = groups;
    this.timeoutsSet = true;
    return this;
  }

  /**
   * Hedges the calls of the model groups named in {@code byGroup}: when the first attempt has not
   * answered after the policy's delay, a second is routed to another deployment of the group (the
   * strategy of a group added with {@link #modelGroup} is wrapped in a {@link HedgeAwareStrategy} unless
   * it already is one; wrap that of a group added in {@link #routing} yourself), the first answer wins
   * and the other attempt is cancelled. Every key must name a model group. Attempts run on the gateway's
   * executor, delays on its scheduler. Defaults to {@link #DEFAULT_HEDGING}: no group hedged.
   */
  public LlmGatewayBuilder hedging(Map<String, HedgePolicy> byGroup) {
    this.hedging = Require.copyOf(byGroup, "hedging byGroup");
    return this;
  }

  /** Appends an interceptor that only rewrites requests (applies to blocking and streaming calls). */
  public LlmGatewayBuilder addRequestInterceptor(RequestInterceptor interceptor) {
    return addInterceptor(interceptor);
  }

  /** Adds a listener; listeners are called in the order added, after the logging listener. */
  public LlmGatewayBuilder addListener(ChatEventListener listener) {
    listeners.add(Require.nonNull(listener, "listener"));
    return this;
  }

  /** Whether to log calls at debug level through SLF4J. Defaults to {@value #DEFAULT_LOGGING}. */
  public LlmGatewayBuilder logging(boolean enabled) {
    this.logging = enabled;
    return this;
  }

  /** Whether to discover provider factories on the class path. Defaults to {@value #DEFAULT_DISCOVER_PROVIDERS}. */
  public LlmGatewayBuilder discoverProviders(boolean enabled) {
    this.discoverProviders = enabled;
    return this;
  }

  /**
   * Shares a host-owned object with every provider, e.g. a configured {@code OkHttpClient} or Jackson
   * {@code ObjectMapper}. The gateway never closes it. Defaults to none: providers create their own,
   * once per gateway.
   */
  public <T> LlmGatewayBuilder sharedResource(Class<T> type, T value) {
    sharedResources.put(Require.nonNull(type, "type"), Require.nonNull(value, "value"));
    return this;
  }

  /**
   * The executor async and callback-streaming calls run on; the host owns it and the gateway never shuts
   * it down. Defaults to a cached pool of daemon threads named {@code llm-gateway-async-N}, owned by the
   * gateway.
   */
  public LlmGatewayBuilder executor(ExecutorService executor) {
    this.executor = Require.nonNull(executor, "executor");
    return this;
  }

  /** Where providers read environment variables (API keys). Defaults to {@code System::getenv}. */
  public LlmGatewayBuilder environment(Function<String, @Nullable String> environment) {
    this.environment = Require.nonNull(environment, "environment");
    return this;
  }

  /**
   * What the gateway knows about models (limits, capabilities, prices). Before each provider call, a
   * request that asks a model the catalog knows for something it lacks (tools, images, JSON-schema
   * output) fails with an {@link dev.llmgateway.error.UnsupportedFeatureException}, and one whose
   * {@code maxTokens} exceeds the model's output limit with an
   * {@link dev.llmgateway.error.InvalidRequestException}; models the catalog does not know pass
   * unchecked. Extend or override the bundled data with {@link ModelCatalog#builder()}, e.g.
   * {@code ModelCatalog.builder().addAll(ModelCatalog.bundled()).load(path).build()}; pass
   * {@link ModelCatalog#empty()} to turn the checks off. Defaults to {@link #DEFAULT_MODEL_CATALOG}, the
   * bundled catalog.
   */
  public LlmGatewayBuilder modelCatalog(ModelCatalog catalog) {
    this.modelCatalog = Require.nonNull(catalog, "modelCatalog");
    return this;
  }

  /**
   * Installs a {@link ContextWindowInterceptor}, adjusted by {@code customizer} (policy, turns kept,
   * summary model...), that refuses, trims or summarizes a conversation that does not fit its model's
   * context window. The gateway hands it what it would otherwise have to be told again: the
   * {@link #modelCatalog}, every {@link #alias} and every {@link #modelGroup} (so a request naming a
   * group gets the smallest window among its deployments), before the customizer runs. It sits just
   * inside the host's {@link InterceptorPosition#OUTERMOST} interceptors and outside the caches, so the
   * cache key, the router and the provider all see the conversation as it is sent; budgets and rate limits
   * added with {@link #addInterceptor(Interceptor)} estimate the conversation as the caller sent it (an
   * overestimate when it is trimmed). A summary is asked for through the rest of the pipeline from there.
   * Calling it again replaces the customizer. Defaults to none.
   */
  public LlmGatewayBuilder contextWindow(Consumer<ContextWindowInterceptor.Builder> customizer) {
    this.contextWindow = Require.nonNull(customizer, "contextWindow customizer");
    return this;
  }

  /**
   * Installs an exact response cache ({@link CacheInterceptor}) with its defaults: in memory (Caffeine),
   * only deterministic requests (temperature 0 or a seed), tenants kept apart, identical concurrent misses
   * coalesced. Same as {@code cache(cache -> {})}; see {@link #cache(Consumer)}.
   */
  public LlmGatewayBuilder cache() {
    return cache(settings -> {});
  }

  /**
   * Installs an exact response cache ({@link CacheInterceptor}), adjusted by {@code customizer} (store,
   * TTL, policy, tenant sharing...). The gateway gives it its router (so entries are keyed by model group
   * and a fallback's answer is stored under the group that gave it) and its {@link #modelCatalog} (to
   * price what a hit saves) before the customizer runs. It sits just inside the host's
   * {@link InterceptorPosition#OUTERMOST} interceptors, outside the timeouts and the router: guards,
   * redaction, budgets and rate limits added with {@link #addInterceptor(Interceptor)} still see every
   * call, and a hit spends no time budget. A hit's answer carries {@link dev.llmgateway.CacheInfo} in
   * {@link dev.llmgateway.ChatResponse#cache()}. Calling it again replaces the customizer. Defaults to
   * none: no cache.
   */
  public LlmGatewayBuilder cache(Consumer<CacheInterceptor.Builder> customizer) {
    this.cache = Require.nonNull(customizer, "cache customizer");
    return this;
  }

  /**
   * Installs a semantic response cache ({@link SemanticCacheInterceptor}) that embeds the last user
   * message with {@code embeddingModel} (an alias or {@code provider/model}) through this gateway itself
   * ({@link LlmGateway#embed}), adjusted by {@code customizer} (threshold, index, TTL...). It sits inside
   * the exact cache when both are installed, so an exact hit costs no embedding. See
   * {@link #cache(Consumer)} for where it sits and what it is given. Defaults to none.
   */
  public LlmGatewayBuilder semanticCache(String embeddingModel,
      Consumer<SemanticCacheInterceptor.Builder> customizer) {
    this.semanticCache = new SemanticCacheSettings(null, Require.nonNull(embeddingModel, "embeddingModel"),
        Require.nonNull(customizer, "semantic cache customizer"));
    return this;
  }

  /**
   * Installs a semantic response cache that embeds through {@code embeddings} (e.g. a local model) with
   * {@code embeddingModel}, instead of through this gateway; otherwise as
   * {@link #semanticCache(String, Consumer)}.
   */
  public LlmGatewayBuilder semanticCache(EmbeddingClient embeddings, String embeddingModel,
      Consumer<SemanticCacheInterceptor.Builder> customizer) {
    this.semanticCache = new SemanticCacheSettings(Require.nonNull(embeddings, "embeddings"),
        Require.nonNull(embeddingModel, "embeddingModel"),
        Require.nonNull(customizer, "semantic cache customizer"));
    return this;
  }

  /**
   * Builds the gateway, creating every provider that an alias, a deployment of a model group, the default
   * provider or {@link #configureProvider} names.
   *
   * @throws LlmConfigurationException naming the provider or setting that is missing, or the first
   *     contradiction (a model group named like an alias, a hedged group that does not exist, circuit
   *     breakers without model groups or next to another health)
   */
  public LlmGateway build() {
    RouterInterceptor router = buildRouter();
    checkRouting(router);

    SharedResources resources = new SharedResources();
    sharedResources.forEach((type, value) -> putResource(resources, type, value));

    Map<String, ChatProviderFactory> factoryByName = new LinkedHashMap<>();
    for (ChatProviderFactory factory : factories) {
      factory.names().forEach(n -> factoryByName.putIfAbsent(n, factory));
    }
    if (discoverProviders) {
      for (ChatProviderFactory factory : ServiceLoader.load(ChatProviderFactory.class, classLoader())) {
        factory.names().forEach(n -> factoryByName.putIfAbsent(n, factory));
      }
    }
    Map<String, List<Consumer<ProviderSettings.Builder>>> config = Map.copyOf(providerConfig);
    Function<String, @Nullable String> env = environment;
    ProviderRegistry registry = new ProviderRegistry(providers, factoryByName, name -> {
      ProviderSettings.Builder settings =
          ProviderSettings.builder(name).environment(env).resources(resources);
      config.getOrDefault(name, List.of()).forEach(c -> c.accept(settings));
      return settings.build();
    });

    String fallbackProvider = defaultProvider;
    if (fallbackProvider == null && providers.size() == 1) {
      fallbackProvider = providers.keySet().iterator().next();
    }
    try {
      for (Map.Entry<String, String> named : namedProviders(fallbackProvider, router).entrySet()) {
        String name = named.getKey();
        if (!registry.names().contains(name)) {
          throw new LlmConfigurationException("provider '" + name + "' is " + named.getValue()
              + ", but no provider or factory of that name is registered or on the class path;"
              + " known providers: " + registry.names(), ErrorContext.of(name, null), null);
        }
        registry.get(name);
      }
    } catch (RuntimeException e) {
      registry.close();
      resources.close();
      throw e;
    }

    List<ChatEventListener> allListeners = new ArrayList<>();
    if (logging) {
      allListeners.add(new LoggingChatEventListener());
    }
    allListeners.addAll(listeners);

    boolean ownsExecutor = executor == null;
    ExecutorService exec = executor != null ? executor
        : Executors.newCachedThreadPool(daemonThreads("llm-gateway-async-"));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("llm-gateway-timer-"));
    LateEmbeddingClient self = new LateEmbeddingClient();
    LlmGateway gateway = new LlmGateway(pipeline(router, exec, scheduler, self), router,
        new ListenerFanOut(allListeners), registry,
        new ProviderCall(registry, aliases, fallbackProvider, modelCatalog), modelCatalog, exec,
        ownsExecutor, scheduler, resources);
    self.bind(gateway);
    return gateway;
  }

  /** The router for the model groups, or null when no group and no routing is configured. */
  private @Nullable RouterInterceptor buildRouter() {
    if (modelGroups.isEmpty() && routing.isEmpty()) {
      if (circuitBreakers != null) {
        throw new LlmConfigurationException("circuitBreakers(...) guard the deployments of model groups,"
            + " but no modelGroup(...) is configured");
      }
      return null;
    }
    RouterInterceptor.Builder builder = RouterInterceptor.builder().modelCatalog(modelCatalog);
    CircuitBreakerHealth breakers =
        circuitBreakers == null ? null : CircuitBreakerHealth.create(circuitBreakers);
    if (breakers != null) {
      builder.health(breakers);
    }
    for (ModelGroup group : modelGroups) {
      builder.group(hedging.containsKey(group.name()) ? hedgeAware(group) : group);
    }
    routing.forEach(customizer -> customizer.accept(builder));
    RouterInterceptor router = builder.build();
    if (breakers != null && router.health() != breakers) {
      throw new LlmConfigurationException("circuitBreakers(...) and a health set in routing(...) both"
          + " decide which deployments may get calls; configure one of them (the routing health is "
          + router.health() + ")");
    }
    return router;
  }

  /** {@code group} with its strategy wrapped so that a hedge goes to another deployment. */
  private static ModelGroup hedgeAware(ModelGroup group) {
    if (group.strategy() instanceof HedgeAwareStrategy) {
      return group;
    }
    return group.toBuilder().strategy(new HedgeAwareStrategy(group.strategy())).build();
  }

  private void checkRouting(@Nullable RouterInterceptor router) {
    Map<String, ModelGroup> groups = router == null ? Map.of() : router.groups();
    for (String name : groups.keySet()) {
      if (aliases.containsKey(name)) {
        throw new LlmConfigurationException("model group '" + name + "' has the name of an alias (for "
            + aliases.get(name) + "); a model name must mean one of them: rename the group or the alias");
      }
    }
    for (String name : hedging.keySet()) {
      if (!groups.containsKey(name)) {
        throw new LlmConfigurationException("hedging(...) names '" + name + "', which is not a model"
            + " group; hedged requests go to another deployment of a group. Groups are " + groups.keySet());
      }
    }
  }

  /**
   * The pipeline, outermost first: the host's outermost interceptors, the whole-call timeout, hedging,
   * the host's before-router ones, the router, the host's after-router ones, retries, the per-attempt
   * timeouts, the host's before-provider ones.
   */
  private List<Interceptor> pipeline(@Nullable RouterInterceptor router, ExecutorService exec,
      ScheduledExecutorService scheduler, EmbeddingClient self) {
    @Nullable BiFunction<ChatRequest, CallContext, @Nullable String> groupOf = router == null ? null
        : (request, context) -> {
          ModelGroup group = router.groupFor(request);
          return group == null ? request.model() : group.name();
        };
    List<Interceptor> chain = new ArrayList<>(at(InterceptorPosition.OUTERMOST));
    if (contextWindow != null) {
      ContextWindowInterceptor.Builder windows = ContextWindowInterceptor.builder().modelCatalog(modelCatalog);
      aliases.forEach((alias, ref) -> windows.alias(alias, ref.provider() + "/" + ref.model()));
      if (router != null) {
        router.groups().values().forEach(windows::modelGroup);
      }
      contextWindow.accept(windows);
      chain.add(windows.build());
    }
    if (cache != null) {
      CacheInterceptor.Builder exact = CacheInterceptor.builder().modelCatalog(modelCatalog);
      if (router != null) {
        exact.router(router);
      }
      cache.accept(exact);
      chain.add(exact.build());
    }
    if (semanticCache != null) {
      EmbeddingClient embeddings = semanticCache.embeddings() != null ? semanticCache.embeddings() : self;
      SemanticCacheInterceptor.Builder semantic =
          SemanticCacheInterceptor.builder(embeddings, semanticCache.embeddingModel())
              .modelCatalog(modelCatalog);
      if (router != null) {
        semantic.router(router);
      }
      semanticCache.customizer().accept(semantic);
      chain.add(semantic.build());
    }
    if (timeoutsSet) {
      TimeoutInterceptor.Builder wholeCall = TimeoutInterceptor.builder(scheduler)
          .defaultPolicy(timeouts).groups(timeoutsByGroup).limits(EnumSet.of(TimeoutPolicy.Limit.WHOLE_CALL));
      if (groupOf != null) {
        wholeCall.groupOf(groupOf);
      }
      chain.add(wholeCall.build());
    }
    if (!hedging.isEmpty() && router != null) {
      HedgingInterceptor.Builder hedges = HedgingInterceptor.builder(exec, scheduler).groups(hedging);
      if (groupOf != null) {
        hedges.groupOf(groupOf);
      }
      chain.add(hedges.build());
    }
    chain.addAll(at(InterceptorPosition.BEFORE_ROUTER));
    if (router != null) {
      chain.add(router);
    }
    chain.addAll(at(InterceptorPosition.AFTER_ROUTER));
    if (retries.maxAttempts() > 1) {
      chain.add(new RetryInterceptor(retries));
    }
    if (timeoutsSet) {
      chain.add(TimeoutInterceptor.builder(scheduler).defaultPolicy(timeouts).groups(timeoutsByGroup)
          .limits(EnumSet.of(TimeoutPolicy.Limit.FIRST_TOKEN, TimeoutPolicy.Limit.IDLE)).build());
    }
    chain.addAll(at(InterceptorPosition.BEFORE_PROVIDER));
    return chain;
  }

  private List<Interceptor> at(InterceptorPosition position) {
    return interceptors.getOrDefault(position, List.of());
  }

  /** Every provider the gateway must be able to reach, with what names it (for the error message). */
  private Map<String, String> namedProviders(@Nullable String fallbackProvider,
      @Nullable RouterInterceptor router) {
    Map<String, String> names = new LinkedHashMap<>();
    providerConfig.keySet().forEach(name -> names.putIfAbsent(name, "configured with configureProvider"));
    aliases.forEach((alias, ref) -> names.putIfAbsent(ref.provider(), "named by alias '" + alias + "'"));
    if (router != null) {
      for (ModelGroup group : router.groups().values()) {
        for (Deployment d : group.deployments()) {
          names.putIfAbsent(d.provider(), "named by deployment '" + d.id() + "' of model group '"
              + group.name() + "'");
        }
      }
    }
    if (fallbackProvider != null) {
      names.putIfAbsent(fallbackProvider, "the default provider");
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private static <T> void putResource(SharedResources resources, Class<T> type, Object value) {
    resources.put(type, (T) value);
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : LlmGatewayBuilder.class.getClassLoader();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}

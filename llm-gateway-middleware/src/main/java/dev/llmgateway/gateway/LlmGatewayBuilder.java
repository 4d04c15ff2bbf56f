package dev.llmgateway.gateway;

import dev.llmgateway.ChatEventListener;
import dev.llmgateway.Interceptor;
import dev.llmgateway.RequestInterceptor;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.gateway.internal.ListenerFanOut;
import dev.llmgateway.gateway.internal.ProviderCall;
import dev.llmgateway.gateway.internal.ProviderRegistry;
import dev.llmgateway.internal.Require;
import dev.llmgateway.observe.LoggingChatEventListener;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.SharedResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Configures an {@link LlmGateway}: providers, model aliases, interceptors (in order, outermost first),
 * listeners and the model catalog. Not thread-safe; {@link #build()} may be called more than once, each
 * time giving an independent gateway.
 *
 * <p>Providers come from three places, the first that knows a name winning: providers registered with
 * {@link #provider(ChatProvider)}; factories registered with {@link #providerFactory}; and factories
 * discovered through {@link ServiceLoader} (unless {@link #discoverProviders(boolean)} is off). A provider
 * that an alias, the default provider or {@link #configureProvider} names is created when the gateway is
 * built, so a missing API key fails then, not on the first call.
 */
public final class LlmGatewayBuilder {
  /** Whether a {@link LoggingChatEventListener} is installed by default: yes. */
  public static final boolean DEFAULT_LOGGING = true;
  /** Whether provider factories are discovered with {@link ServiceLoader} by default: yes. */
  public static final boolean DEFAULT_DISCOVER_PROVIDERS = true;
  /** The model catalog requests are checked against by default: {@link ModelCatalog#bundled()}. */
  public static final ModelCatalog DEFAULT_MODEL_CATALOG = ModelCatalog.bundled();

  private final Map<String, ChatProvider> providers = new LinkedHashMap<>();
  private final List<ChatProviderFactory> factories = new ArrayList<>();
  private final Map<String, List<Consumer<ProviderSettings.Builder>>> providerConfig = new LinkedHashMap<>();
  private final Map<String, ModelRef> aliases = new LinkedHashMap<>();
  private @Nullable String defaultProvider;
  private final List<Interceptor> interceptors = new ArrayList<>();
  private final List<ChatEventListener> listeners = new ArrayList<>();
  private boolean logging = DEFAULT_LOGGING;
  private boolean discoverProviders = DEFAULT_DISCOVER_PROVIDERS;
  private final Map<Class<?>, Object> sharedResources = new LinkedHashMap<>();
  private @Nullable ExecutorService executor;
  private Function<String, @Nullable String> environment = System::getenv;
  private ModelCatalog modelCatalog = DEFAULT_MODEL_CATALOG;

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

  /** Appends an interceptor; the first added is the outermost. */
  public LlmGatewayBuilder addInterceptor(Interceptor interceptor) {
    interceptors.add(Require.nonNull(interceptor, "interceptor"));
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
   * Builds the gateway, creating every provider that an alias, the default provider or
   * {@link #configureProvider} names.
   *
   * @throws LlmConfigurationException naming the provider or setting that is missing
   */
  public LlmGateway build() {
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
      for (String name : namedProviders(fallbackProvider)) {
        if (!registry.names().contains(name)) {
          throw new LlmConfigurationException("provider '" + name + "' is configured or referenced by an"
              + " alias, but no provider or factory of that name is registered or on the class path;"
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
    return new LlmGateway(interceptors, new ListenerFanOut(allListeners), registry,
        new ProviderCall(registry, aliases, fallbackProvider, modelCatalog), modelCatalog, exec,
        ownsExecutor, scheduler, resources);
  }

  private Set<String> namedProviders(@Nullable String fallbackProvider) {
    Set<String> names = new LinkedHashSet<>(providerConfig.keySet());
    aliases.values().forEach(ref -> names.add(ref.provider()));
    if (fallbackProvider != null) {
      names.add(fallbackProvider);
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

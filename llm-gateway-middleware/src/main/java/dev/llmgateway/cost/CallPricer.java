package dev.llmgateway.cost;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Cost;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.gateway.ModelRef;
import dev.llmgateway.gateway.internal.ProviderCall;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds a call's model and prices, estimates a call before it is sent and prices it after: the one place
 * the cost, ledger, budget and rate-limit interceptors agree on what a call costs.
 *
 * <p><b>Before the call</b> ({@link #estimate}) the request's model may be an alias or a router group. It
 * is resolved, in order, through the aliases given to {@link Builder#alias}, as {@code provider/model},
 * or as a bare model name that exactly one provider of the catalog knows; otherwise it is unknown (no
 * price, and tokens counted by the generic estimator). Input tokens come from the {@link TokenCounter};
 * output tokens are the request's {@code maxTokens}, or {@link Builder#assumedOutputTokens} when it sets
 * none.
 *
 * <p><b>After the call</b> ({@link #price}) the model that answered is known. Prices are looked up, the
 * first found winning, under: the router's deployment's {@link Deployment#catalogModel()}; the provider
 * and model the gateway sent the call to ({@code ProviderCall.TARGET}); that provider with the model the
 * response names (a dated snapshot finds its family); the deployment's target; and the request's model as
 * above. The usage billed is the provider's; when it reported none (a {@link Usage#ZERO} usage on an
 * answer or a partial stream), it is estimated, and marked {@link Usage#estimated()}: the request's input
 * tokens plus the tokens of whatever text, thinking, refusal and tool-call arguments came back. A call
 * that returned nothing at all (a blocking call that failed, a stream that never opened) is billed
 * {@link Usage#ZERO}: providers do not charge for requests they refused. So is a call an interceptor
 * marked {@link #NOT_BILLED} (a cache hit).
 *
 * <p>Immutable and thread-safe.
 */
public final class CallPricer {
  /**
   * Set to {@code true} by an interceptor that answered a call without a provider billing it (a cache
   * hit replaying a stored answer): the call is then priced at {@link Usage#ZERO}, whatever usage the
   * stored answer carries.
   */
  public static final AttributeKey<Boolean> NOT_BILLED = AttributeKey.of("cost.notBilled", Boolean.class);

  /** Where prices come from by default: {@link ModelCatalog#bundled()}. */
  public static final ModelCatalog DEFAULT_MODEL_CATALOG = ModelCatalog.bundled();
  /** How usage is priced by default: {@link CostCalculator#STANDARD}. */
  public static final CostCalculator DEFAULT_COST_CALCULATOR = CostCalculator.STANDARD;
  /** The output tokens assumed for a request without {@code maxTokens}, by default: {@value}. */
  public static final int DEFAULT_ASSUMED_OUTPUT_TOKENS = 1024;

  private final ModelCatalog catalog;
  private final TokenCounter tokenCounter;
  private final CostCalculator calculator;
  private final int assumedOutputTokens;
  private final Map<String, ModelRef> aliases;
  private final Map<String, ModelInfo> uniqueNames;
  private final List<String> providers;

  private CallPricer(Builder b) {
    this.catalog = b.catalog;
    this.tokenCounter = b.tokenCounter != null ? b.tokenCounter : TokenCounter.standard();
    this.calculator = b.calculator;
    this.assumedOutputTokens = b.assumedOutputTokens;
    this.aliases = Map.copyOf(b.aliases);
    Map<String, ModelInfo> names = new HashMap<>();
    Set<String> ambiguous = new HashSet<>();
    Set<String> providerNames = new LinkedHashSet<>();
    for (ModelInfo info : catalog.models()) {
      providerNames.add(info.provider());
      List<String> all = new ArrayList<>(info.aliases());
      all.add(info.model());
      for (String name : all) {
        ModelInfo previous = names.putIfAbsent(name, info);
        if (previous != null && !previous.provider().equals(info.provider())) {
          ambiguous.add(name);
        }
      }
    }
    ambiguous.forEach(names::remove);
    this.uniqueNames = Map.copyOf(names);
    this.providers = List.copyOf(providerNames);
  }

  /** A pricer with every default. */
  public static CallPricer standard() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public ModelCatalog modelCatalog() {
    return catalog;
  }

  public TokenCounter tokenCounter() {
    return tokenCounter;
  }

  public CostCalculator costCalculator() {
    return calculator;
  }

  public int assumedOutputTokens() {
    return assumedOutputTokens;
  }

  /** The aliases given to the builder: a name to the {@code provider/model} it is priced as. */
  public Map<String, ModelRef> aliases() {
    return aliases;
  }

  /** The output tokens {@code request} may produce: its {@code maxTokens}, else the assumed output. */
  public long outputTokens(ChatRequest request) {
    return request.maxTokens() != null ? request.maxTokens() : assumedOutputTokens;
  }

  /** The prices of {@code model} of {@code provider}; null when the catalog has none. */
  public @Nullable ModelPricing pricing(String provider, String model) {
    return catalog.find(provider, model).map(ModelInfo::pricing).orElse(null);
  }

  /** The estimate last made for a call, with the request it was made for. */
  private record Memo(ChatRequest request, CallEstimate estimate) {}

  private static final AttributeKey<Memo> MEMO = AttributeKey.of("callPricer.estimate", Memo.class);

  /**
   * {@link #estimate(ChatRequest)}, made once per call: the rate limiter and the budget both need it, and
   * counting a prompt's tokens is the most expensive step of accounting. A request rewritten between them
   * (a different object) is estimated afresh.
   */
  public CallEstimate estimate(ChatRequest request, CallContext context) {
    Memo memo = context.get(MEMO);
    if (memo != null && memo.request() == request) {
      return memo.estimate();
    }
    CallEstimate estimate = estimate(request);
    context.put(MEMO, new Memo(request, estimate));
    return estimate;
  }

  /** What {@code request} is expected to cost, before it is sent (see the class comment). */
  public CallEstimate estimate(ChatRequest request) {
    ModelRef target = resolve(request.model());
    String provider = target == null ? null : target.provider();
    String model = target == null ? request.model() : target.model();
    long input = Math.max(0, tokenCounter.countInputTokens(request, provider, model));
    long output = outputTokens(request);
    ModelPricing pricing = provider == null ? null : pricing(provider, model);
    Cost cost = pricing == null ? null
        : calculator.calculate(new Usage(input, output, 0, 0, 0, true), pricing);
    return new CallEstimate(provider, model, input, output, cost);
  }

  /**
   * What a finished call cost.
   *
   * @param response the answer, or for a stream the assembly of what arrived (complete or partial); null
   *     when nothing came back
   */
  public PricedCall price(CallContext context, ChatRequest request, @Nullable ChatResponse response) {
    Deployment deployment = context.get(RouterInterceptor.DEPLOYMENT);
    ModelRef target = context.get(ProviderCall.TARGET);
    ModelRef requested = resolve(request.model());
    String responseModel = response == null || response.model().isEmpty() ? null : response.model();
    String responseProvider =
        response == null || response.provider().isEmpty() ? null : response.provider();

    String provider = target != null ? target.provider()
        : deployment != null ? deployment.provider()
        : responseProvider != null ? responseProvider
        : requested != null ? requested.provider() : "";
    String model = responseModel != null ? responseModel
        : target != null ? target.model()
        : deployment != null ? deployment.model()
        : requested != null ? requested.model() : request.model();

    List<ModelRef> candidates = new ArrayList<>(5);
    if (deployment != null && deployment.catalogModel() != null) {
      candidates.add(ModelRef.parse(deployment.catalogModel()));
    }
    if (target != null) {
      candidates.add(target);
    }
    if (responseModel != null && !provider.isEmpty()) {
      candidates.add(new ModelRef(provider, responseModel));
    }
    if (deployment != null) {
      candidates.add(new ModelRef(deployment.provider(), deployment.model()));
    }
    if (requested != null) {
      candidates.add(requested);
    }
    ModelPricing pricing = null;
    ModelRef priced = null;
    for (ModelRef candidate : candidates) {
      pricing = pricing(candidate.provider(), candidate.model());
      if (pricing != null) {
        priced = candidate;
        break;
      }
    }

    Usage usage = Boolean.TRUE.equals(context.get(NOT_BILLED)) ? Usage.ZERO
        : priced != null ? billedUsage(request, response, priced.provider(), priced.model())
        : billedUsage(request, response, provider.isEmpty() ? null : provider, model);
    Cost cost = pricing == null ? null : calculator.calculate(usage, pricing);
    return new PricedCall(provider, model, deployment == null ? null : deployment.id(), usage, cost);
  }

  private Usage billedUsage(ChatRequest request, @Nullable ChatResponse response,
      @Nullable String countProvider, String countModel) {
    if (response == null) {
      return Usage.ZERO;
    }
    if (!response.usage().equals(Usage.ZERO)) {
      return response.usage();
    }
    long input = Math.max(0, tokenCounter.countInputTokens(request, countProvider, countModel));
    long output = 0;
    long reasoning = 0;
    for (ContentPart part : response.message().content()) {
      if (part instanceof ContentPart.Text t && !t.text().isEmpty()) {
        output += tokenCounter.countText(t.text(), countProvider, countModel);
      } else if (part instanceof ContentPart.Thinking t && !t.text().isEmpty()) {
        long thinking = tokenCounter.countText(t.text(), countProvider, countModel);
        output += thinking;
        reasoning += thinking;
      } else if (part instanceof ContentPart.ToolCall c) {
        output += tokenCounter.countText(c.name() + c.arguments(), countProvider, countModel);
      }
    }
    if (response.refusal() != null) {
      output += tokenCounter.countText(response.refusal(), countProvider, countModel);
    }
    return new Usage(input, output, 0, 0, reasoning, true);
  }

  /** The provider and model {@code name} is priced as before the call; null when unknown. */
  public @Nullable ModelRef resolve(String name) {
    ModelRef alias = aliases.get(name);
    if (alias != null) {
      return alias;
    }
    int slash = name.indexOf('/');
    if (slash > 0 && slash < name.length() - 1) {
      return ModelRef.parse(name);
    }
    ModelInfo unique = uniqueNames.get(name);
    if (unique != null) {
      return new ModelRef(unique.provider(), unique.model());
    }
    ModelRef found = null;
    for (String provider : providers) {
      if (catalog.find(provider, name).isPresent()) {
        if (found != null) {
          return null; // a snapshot name two providers know: ambiguous
        }
        found = new ModelRef(provider, name);
      }
    }
    return found;
  }

  @Override
  public String toString() {
    return "CallPricer[" + catalog + ", " + tokenCounter + ", assumedOutputTokens=" + assumedOutputTokens
        + ", aliases=" + aliases.keySet() + "]";
  }

  /** Builds a {@link CallPricer}. Not thread-safe. */
  public static final class Builder {
    private ModelCatalog catalog = DEFAULT_MODEL_CATALOG;
    private @Nullable TokenCounter tokenCounter;
    private CostCalculator calculator = DEFAULT_COST_CALCULATOR;
    private int assumedOutputTokens = DEFAULT_ASSUMED_OUTPUT_TOKENS;
    private final Map<String, ModelRef> aliases = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Where prices come from; use the gateway's catalog. Defaults to {@link #DEFAULT_MODEL_CATALOG}, the
     * bundled one.
     */
    public Builder modelCatalog(ModelCatalog catalog) {
      this.catalog = Check.nonNull(catalog, "modelCatalog");
      return this;
    }

    /** How requests are counted. Defaults to a new {@link TokenCounter#standard()}. */
    public Builder tokenCounter(TokenCounter counter) {
      this.tokenCounter = Check.nonNull(counter, "tokenCounter");
      return this;
    }

    /** How usage is priced. Defaults to {@link CostCalculator#STANDARD}. */
    public Builder costCalculator(CostCalculator calculator) {
      this.calculator = Check.nonNull(calculator, "costCalculator");
      return this;
    }

    /**
     * The output tokens assumed for a request that sets no {@code maxTokens}, at least 0. Defaults to
     * {@value #DEFAULT_ASSUMED_OUTPUT_TOKENS}.
     */
    public Builder assumedOutputTokens(int tokens) {
      Check.that(tokens >= 0, "assumedOutputTokens must be >= 0, was " + tokens);
      this.assumedOutputTokens = tokens;
      return this;
    }

    /**
     * Prices requests for {@code name} (a gateway alias or a router group) as {@code target}
     * ({@code provider/model}) before the call; for a group, name its most expensive deployment so that
     * reservations are never too small. Defaults to none.
     */
    public Builder alias(String name, String target) {
      aliases.put(Check.nonBlank(name, "alias name"), ModelRef.parse(Check.nonBlank(target, "alias target")));
      return this;
    }

    public CallPricer build() {
      return new CallPricer(this);
    }
  }
}

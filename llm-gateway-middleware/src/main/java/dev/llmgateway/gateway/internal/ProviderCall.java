package dev.llmgateway.gateway.internal;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.gateway.ModelRef;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The end of every chain: resolves the request's model (alias, {@code provider/model}, or the default
 * provider) to a provider and its native model name, checks the provider and the model can serve the
 * request, reports the attempt and makes the call.
 *
 * <p>Two checks run before anything is sent. The provider's {@link ProviderCapabilities} (what its wire
 * protocol supports) come first. Then, when the {@link ModelCatalog} knows the resolved provider and
 * model, the model's own {@link ModelCapabilities} (tools, images, JSON-schema output) and its output
 * limit ({@code maxTokens} may not exceed {@link ModelInfo#maxOutputTokens()}). The catalog is advisory:
 * a model it does not know passes unchecked.
 */
public final class ProviderCall {
  /** How many provider attempts this call has made so far. */
  public static final AttributeKey<AtomicInteger> ATTEMPTS = AttributeKey.of("attempts", AtomicInteger.class);
  /** The provider and model the latest attempt went to. */
  public static final AttributeKey<ModelRef> TARGET = AttributeKey.of("target", ModelRef.class);

  private final ProviderRegistry providers;
  private final Map<String, ModelRef> aliases;
  private final @Nullable String defaultProvider;
  private final ModelCatalog catalog;

  public ProviderCall(ProviderRegistry providers, Map<String, ModelRef> aliases,
      @Nullable String defaultProvider, ModelCatalog catalog) {
    this.providers = providers;
    this.aliases = Map.copyOf(aliases);
    this.defaultProvider = defaultProvider;
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** Which provider and native model {@code model} means. */
  public ModelRef resolve(String model) {
    ModelRef alias = aliases.get(model);
    if (alias != null) {
      return alias;
    }
    int slash = model.indexOf('/');
    if (slash > 0 && providers.names().contains(model.substring(0, slash))) {
      return ModelRef.parse(model);
    }
    if (defaultProvider != null) {
      return new ModelRef(defaultProvider, model);
    }
    if (slash > 0) {
      throw new InvalidRequestException("model '" + model + "' names provider '"
          + model.substring(0, slash) + "', which is not registered; known providers: "
          + providers.names());
    }
    throw new InvalidRequestException("model '" + model + "' is neither a configured alias "
        + aliases.keySet() + " nor of the form provider/model, and no default provider is set");
  }

  public ChatResponse chat(ChatRequest request, CallContext context) {
    Target target = prepare(request, context);
    ChatResponse response = target.provider.chat(target.request, context);
    return Objects.requireNonNull(response,
        () -> "provider " + target.provider.name() + " returned a null response");
  }

  public ChatStream stream(ChatRequest request, CallContext context) {
    Target target = prepare(request, context);
    ChatStream stream = target.provider.stream(target.request, context);
    return Objects.requireNonNull(stream,
        () -> "provider " + target.provider.name() + " returned a null stream");
  }

  private record Target(ChatProvider provider, ChatRequest request) {}

  private Target prepare(ChatRequest request, CallContext context) {
    context.throwIfCancelled();
    ModelRef ref = resolve(request.model());
    ChatProvider provider = providers.get(ref.provider());
    checkCapabilities(provider, ref, request);
    catalog.find(ref.provider(), ref.model()).ifPresent(model -> checkModel(model, ref, request));
    int attempt = context.computeIfAbsent(ATTEMPTS, k -> new AtomicInteger()).incrementAndGet();
    context.put(TARGET, ref);
    context.events().onAttempt(context, ref.provider(), ref.model(), attempt);
    ChatRequest nativeRequest = ref.model().equals(request.model()) ? request : request.withModel(ref.model());
    return new Target(provider, nativeRequest);
  }

  private static void checkCapabilities(ChatProvider provider, ModelRef ref, ChatRequest request) {
    ProviderCapabilities caps = provider.capabilities();
    ErrorContext where = ErrorContext.of(ref.provider(), ref.model());
    if (!request.tools().isEmpty() && !caps.tools()) {
      throw new UnsupportedFeatureException("provider " + ref.provider() + " does not support tools",
          where, null);
    }
    if (wantsJsonSchema(request) && !caps.jsonSchema()) {
      throw new UnsupportedFeatureException(
          "provider " + ref.provider() + " does not support JSON schema output", where, null);
    }
    if (!caps.vision() && hasImage(request)) {
      throw new UnsupportedFeatureException("provider " + ref.provider() + " does not support images",
          where, null);
    }
  }

  /** Refuses what the catalog says the model lacks; the message names the model and the feature. */
  private static void checkModel(ModelInfo model, ModelRef ref, ChatRequest request) {
    ModelCapabilities caps = model.capabilities();
    ErrorContext where = ErrorContext.of(ref.provider(), ref.model());
    String name = "model " + ref;
    String why = " (per the model catalog entry " + model.id()
        + "; use LlmGatewayBuilder.modelCatalog to correct it)";
    if (!request.tools().isEmpty() && !caps.tools()) {
      throw new UnsupportedFeatureException(name + " does not support tools" + why, where, null);
    }
    if (wantsJsonSchema(request) && !caps.jsonSchema()) {
      throw new UnsupportedFeatureException(name + " does not support JSON schema output" + why, where,
          null);
    }
    if (!caps.vision() && hasImage(request)) {
      throw new UnsupportedFeatureException(name + " does not support images" + why, where, null);
    }
    Integer limit = model.maxOutputTokens();
    Integer wanted = request.maxTokens();
    if (limit != null && wanted != null && wanted > limit) {
      throw new InvalidRequestException("maxTokens " + wanted + " exceeds the " + limit
          + " output tokens " + name + " can produce" + why, where, null);
    }
  }

  private static boolean wantsJsonSchema(ChatRequest request) {
    ResponseFormat format = request.responseFormat();
    return format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA;
  }

  private static boolean hasImage(ChatRequest request) {
    for (Message m : request.messages()) {
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Image) {
          return true;
        }
      }
    }
    return false;
  }
}

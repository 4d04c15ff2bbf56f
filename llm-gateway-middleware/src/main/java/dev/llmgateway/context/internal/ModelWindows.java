package dev.llmgateway.context.internal;

import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.gateway.ModelRef;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Finds the context window of a request's model, in the order the interceptor documents: an explicit
 * window, the lookup function, the deployment the router chose for this very request, a model group's
 * smallest window, then the model catalog (through the same name resolution as {@link CallPricer}).
 */
public final class ModelWindows {

  /**
   * A model's limits and the names its tokens are counted under.
   *
   * @param contextWindow input and output tokens together
   * @param maxOutputTokens the model's own output limit; null when unknown
   * @param provider the provider to count tokens for; null when unknown
   * @param model the model to count tokens for
   * @param source where the window came from, for log lines
   */
  public record Window(int contextWindow, @Nullable Integer maxOutputTokens, @Nullable String provider,
      String model, String source) {}

  private final Map<String, Integer> explicit;
  private final @Nullable Function<String, @Nullable Integer> lookup;
  private final Map<String, ModelGroup> groups;
  private final ModelCatalog catalog;
  private final CallPricer names;

  public ModelWindows(Map<String, Integer> explicit, @Nullable Function<String, @Nullable Integer> lookup,
      Map<String, ModelGroup> groups, ModelCatalog catalog, CallPricer names) {
    this.explicit = Map.copyOf(explicit);
    this.lookup = lookup;
    this.groups = Map.copyOf(groups);
    this.catalog = catalog;
    this.names = names;
  }

  /** The window of {@code request}'s model, or null when none is known. */
  public @Nullable Window find(ChatRequest request, CallContext context) {
    String name = request.model();
    Integer given = explicit.get(name);
    if (given == null && lookup != null) {
      given = lookup.apply(name);
      Check.that(given == null || given > 0,
          "the context-window lookup returned " + given + " for model '" + name + "'; it must be > 0");
    }
    if (given != null) {
      ModelRef ref = names.resolve(name);
      ModelInfo info = ref == null ? null : catalog.find(ref.provider(), ref.model()).orElse(null);
      return new Window(given, info == null ? null : info.maxOutputTokens(),
          ref == null ? null : ref.provider(), ref == null ? name : ref.model(), "given for " + name);
    }
    Deployment chosen = context.get(RouterInterceptor.DEPLOYMENT);
    if (chosen != null && chosen.target().equals(name)) {
      Window window = ofDeployment(chosen);
      if (window != null) {
        return window;
      }
    }
    ModelGroup group = groups.get(name);
    if (group != null) {
      Window smallest = null;
      for (Deployment d : group.deployments()) {
        Window window = ofDeployment(d);
        if (window != null && (smallest == null || window.contextWindow() < smallest.contextWindow())) {
          smallest = window;
        }
      }
      return smallest == null ? null : new Window(smallest.contextWindow(), smallest.maxOutputTokens(),
          smallest.provider(), smallest.model(), "group " + name + ", " + smallest.source());
    }
    ModelRef ref = names.resolve(name);
    if (ref == null) {
      return null;
    }
    ModelInfo info = catalog.find(ref.provider(), ref.model()).orElse(null);
    return info == null ? null : new Window(info.contextWindow(), info.maxOutputTokens(), ref.provider(),
        ref.model(), "catalog " + info.id());
  }

  private @Nullable Window ofDeployment(Deployment d) {
    String described = d.catalogModel() != null ? d.catalogModel() : d.target();
    int slash = described.indexOf('/');
    ModelInfo info = slash <= 0 ? null
        : catalog.find(described.substring(0, slash), described.substring(slash + 1)).orElse(null);
    Integer window = d.contextWindow() != null ? d.contextWindow()
        : info == null ? null : info.contextWindow();
    if (window == null) {
      return null;
    }
    // Tokens are counted as the model the catalog describes, which picks the right tokenizer for a
    // deployment whose own name says nothing (an Azure deployment name, a proxy's alias).
    boolean countable = slash > 0 && slash < described.length() - 1;
    return new Window(window, info == null ? null : info.maxOutputTokens(),
        countable ? described.substring(0, slash) : d.provider(),
        countable ? described.substring(slash + 1) : d.model(), "deployment " + d.id());
  }
}

package dev.llmgateway.cost;

import dev.llmgateway.Cost;
import dev.llmgateway.Usage;
import dev.llmgateway.gateway.internal.Check;
import org.jspecify.annotations.Nullable;

/**
 * A finished call as accounting sees it: who answered, the usage to bill and its cost.
 *
 * @param provider the provider that answered (the gateway's provider name), or the best guess when the
 *     call failed before one was chosen; empty when unknown
 * @param model the model that answered, as the provider names it (e.g. a dated snapshot); else the
 *     model asked for
 * @param deployment the router's deployment id when the call was routed; null otherwise
 * @param usage the provider's reported usage; the gateway's estimate (marked {@link Usage#estimated()})
 *     when it reported none; {@link Usage#ZERO} when nothing came back at all
 * @param cost the usage at the model catalog's prices; null when no price is known for the model
 */
public record PricedCall(String provider, String model, @Nullable String deployment, Usage usage,
    @Nullable Cost cost) {

  public PricedCall {
    Check.nonNull(provider, "pricedCall.provider");
    Check.nonNull(model, "pricedCall.model");
    Check.nonNull(usage, "pricedCall.usage");
  }

  /** Whether the usage (and so the cost) is the gateway's estimate rather than the provider's report. */
  public boolean estimated() {
    return usage.estimated();
  }
}

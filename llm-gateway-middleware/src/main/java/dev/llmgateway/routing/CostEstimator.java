package dev.llmgateway.routing;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.catalog.PriceTier;
import dev.llmgateway.routing.internal.CatalogLookup;
import dev.llmgateway.gateway.internal.Check;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What a request would cost on a deployment, for {@link LowestCostStrategy}. Only comparisons matter, so
 * any consistent unit works. Small enough for a lambda:
 *
 * <pre>{@code
 * CostEstimator flat = (deployment, request) ->
 *     deployment.provider().equals("ollama") ? BigDecimal.ZERO : BigDecimal.ONE;
 * }</pre>
 */
@FunctionalInterface
public interface CostEstimator {

  /**
   * The output tokens {@link #fromCatalog(ModelCatalog)} assumes when a request sets no
   * {@code maxTokens}: {@value}.
   */
  int DEFAULT_ASSUMED_OUTPUT_TOKENS = 256;

  /** The estimated cost of {@code request} on {@code deployment}; null when unknown. */
  @Nullable BigDecimal estimate(Deployment deployment, ChatRequest request);

  /**
   * Prices from {@code catalog} (looked up under {@link Deployment#catalogModel()}, else the target),
   * applied to {@link TokenEstimator#CHARS_OVER_FOUR} input tokens and {@code maxTokens} output tokens
   * (or {@value #DEFAULT_ASSUMED_OUTPUT_TOKENS} when the request sets none), with the long-context tier
   * the input size selects. Unknown when the catalog has no entry or no price for the deployment.
   */
  static CostEstimator fromCatalog(ModelCatalog catalog) {
    return fromCatalog(catalog, TokenEstimator.CHARS_OVER_FOUR, DEFAULT_ASSUMED_OUTPUT_TOKENS);
  }

  /**
   * As {@link #fromCatalog(ModelCatalog)}, with another token estimate and another output assumption for
   * requests without {@code maxTokens}.
   */
  static CostEstimator fromCatalog(ModelCatalog catalog, TokenEstimator tokens,
      int assumedOutputTokens) {
    Check.nonNull(catalog, "catalog");
    Check.nonNull(tokens, "tokens");
    Check.that(assumedOutputTokens >= 0,
        "assumedOutputTokens must be >= 0, was " + assumedOutputTokens);
    return (deployment, request) -> {
      ModelInfo info = CatalogLookup.find(catalog, deployment);
      ModelPricing pricing = info == null ? null : info.pricing();
      if (pricing == null) {
        return null;
      }
      long input = Math.max(0, tokens.estimate(request));
      long output = request.maxTokens() != null ? request.maxTokens() : assumedOutputTokens;
      PriceTier tier = pricing.tierFor(input);
      return PriceTier.cost(input, tier.input()).add(PriceTier.cost(output, tier.output()));
    };
  }
}

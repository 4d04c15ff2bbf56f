package dev.llmgateway.cost;

import dev.llmgateway.Cost;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.catalog.PriceTier;

/**
 * Prices a call's {@link Usage}. Small enough for a lambda, e.g. to apply a negotiated discount:
 *
 * <pre>{@code
 * CostCalculator discounted = (usage, pricing) -> {
 *   Cost list = CostCalculator.STANDARD.calculate(usage, pricing);
 *   return Cost.of(list.input().multiply(new BigDecimal("0.8")), list.cacheRead(), list.cacheWrite(),
 *       list.output(), list.reasoning(), list.currency(), list.estimated());
 * };
 * }</pre>
 */
@FunctionalInterface
public interface CostCalculator {

  /**
   * The list price of {@code usage}, exact:
   * <ol>
   *   <li>The price tier is chosen by {@link Usage#inputTokens()}, every input token counted (uncached,
   *       cache reads and cache writes): {@link ModelPricing#tierFor(long)}. The tier applies to every
   *       token of the call.
   *   <li>{@code Usage.inputTokens} includes the cached and cache-write tokens, so uncached input is
   *       {@code input - cached - cacheWrite}; each part is charged once, at its own price (cache reads at
   *       {@link PriceTier#cachedInputReadOrInput()}, writes at
   *       {@link PriceTier#cachedInputWriteOrInput()}). Cached tokens are never also charged as input.
   *   <li>{@code Usage.outputTokens} includes reasoning tokens, so plain output is
   *       {@code output - reasoning}, at the output price, and reasoning is at
   *       {@link PriceTier#reasoningOrOutput()}.
   *   <li>A provider that reports more cached than input tokens (or more reasoning than output tokens)
   *       gets 0 for the remainder rather than a negative amount.
   * </ol>
   * The cost is estimated when the usage is.
   */
  CostCalculator STANDARD = (usage, pricing) -> {
    PriceTier tier = pricing.tierFor(usage.inputTokens());
    long uncached = Math.max(0,
        usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteInputTokens());
    long plainOutput = Math.max(0, usage.outputTokens() - usage.reasoningTokens());
    return Cost.of(
        PriceTier.cost(uncached, tier.input()),
        PriceTier.cost(usage.cachedInputTokens(), tier.cachedInputReadOrInput()),
        PriceTier.cost(usage.cacheWriteInputTokens(), tier.cachedInputWriteOrInput()),
        PriceTier.cost(plainOutput, tier.output()),
        PriceTier.cost(usage.reasoningTokens(), tier.reasoningOrOutput()),
        pricing.currency(), usage.estimated());
  };

  /** The cost of {@code usage} at {@code pricing}. */
  Cost calculate(Usage usage, ModelPricing pricing);
}

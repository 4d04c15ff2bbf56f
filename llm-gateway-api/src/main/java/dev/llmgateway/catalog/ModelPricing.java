package dev.llmgateway.catalog;

import dev.llmgateway.internal.Require;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model's prices per million tokens, where they came from and when they were taken. Prices are
 * {@link BigDecimal}s so that cost arithmetic is exact (see {@link PriceTier#cost(long, BigDecimal)}).
 *
 * <p>The base prices apply unless a request's input tokens exceed a tier's threshold; then the highest
 * such tier applies to every token of the request ({@link #tierFor(long)}). Null cache and reasoning
 * prices mean "same as input" and "same as output" (see {@link PriceTier}).
 *
 * @param input uncached input tokens
 * @param cachedInputRead cached input reads; null for the input price
 * @param cachedInputWrite cache writes; null for the input price (providers without a write charge)
 * @param output output tokens
 * @param reasoning reasoning tokens; null for the output price
 * @param tiers long-context tiers, ascending by threshold, each threshold above 0 and distinct; empty for
 *     flat pricing
 * @param currency an ISO 4217 code; the bundled catalog is all {@value #USD}
 * @param pricesAsOf the day the prices were read from {@code source}
 * @param source where the prices are published (a URL)
 */
public record ModelPricing(BigDecimal input, @Nullable BigDecimal cachedInputRead,
    @Nullable BigDecimal cachedInputWrite, BigDecimal output, @Nullable BigDecimal reasoning,
    List<PriceTier> tiers, String currency, LocalDate pricesAsOf, String source) {

  /** US dollars. */
  public static final String USD = "USD";

  public ModelPricing {
    // Validates the base prices the same way as a tier's.
    new PriceTier(0, input, cachedInputRead, cachedInputWrite, output, reasoning);
    tiers = Require.copyOf(tiers, "pricing.tiers");
    long previous = 0;
    for (PriceTier tier : tiers) {
      Require.check(tier.aboveInputTokens() > previous, "pricing.tiers must have thresholds above 0,"
          + " in ascending order and distinct; found " + tier.aboveInputTokens() + " after " + previous);
      previous = tier.aboveInputTokens();
    }
    Require.nonBlank(currency, "pricing.currency");
    Require.check(currency.matches("[A-Z]{3}"),
        "pricing.currency must be an ISO 4217 code such as USD, was '" + currency + "'");
    Require.nonNull(pricesAsOf, "pricing.pricesAsOf");
    Require.nonBlank(source, "pricing.source");
  }

  /** Flat USD prices with no cache, reasoning or tier prices; add those with the wither methods. */
  public static ModelPricing usd(BigDecimal input, BigDecimal output, LocalDate pricesAsOf, String source) {
    return new ModelPricing(input, null, null, output, null, List.of(), USD, pricesAsOf, source);
  }

  /** This pricing with the given cache prices (null for "same as input"). */
  public ModelPricing withCachePrices(@Nullable BigDecimal read, @Nullable BigDecimal write) {
    return new ModelPricing(input, read, write, output, reasoning, tiers, currency, pricesAsOf, source);
  }

  /** This pricing with the given tiers. */
  public ModelPricing withTiers(List<PriceTier> newTiers) {
    return new ModelPricing(input, cachedInputRead, cachedInputWrite, output, reasoning, newTiers,
        currency, pricesAsOf, source);
  }

  /** The base prices as a tier with threshold 0. */
  public PriceTier baseTier() {
    return new PriceTier(0, input, cachedInputRead, cachedInputWrite, output, reasoning);
  }

  /**
   * The prices for a request with {@code inputTokens} input tokens (uncached, cache reads and cache
   * writes together): the tier with the highest threshold below {@code inputTokens}, else the base.
   */
  public PriceTier tierFor(long inputTokens) {
    Require.check(inputTokens >= 0, "inputTokens must be >= 0, was " + inputTokens);
    PriceTier applicable = baseTier();
    for (PriceTier tier : tiers) {
      if (inputTokens > tier.aboveInputTokens()) {
        applicable = tier;
      }
    }
    return applicable;
  }
}

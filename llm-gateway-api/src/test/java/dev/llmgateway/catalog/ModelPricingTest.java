package dev.llmgateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.InvalidRequestException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelPricingTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 26);

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  private static final PriceTier LONG = new PriceTier(200_000, d("6.00"), d("0.60"), d("7.50"),
      d("22.50"), null);
  private static final ModelPricing SONNET = new ModelPricing(d("3.00"), d("0.30"), d("3.75"),
      d("15.00"), null, List.of(LONG), "USD", DAY, "https://example.com");

  @Test
  void costIsExactForAnyTokenCount() {
    assertThat(PriceTier.cost(1_234_567, d("2.50"))).isEqualByComparingTo("3.0864175");
    assertThat(PriceTier.cost(1_234_567, d("2.50")).toPlainString()).isEqualTo("3.08641750");
    assertThat(PriceTier.cost(1, d("0.005"))).isEqualByComparingTo("0.000000005");
    assertThat(PriceTier.cost(0, d("75"))).isEqualByComparingTo("0");
    assertThat(PriceTier.cost(Long.MAX_VALUE, d("0.001")))
        .isEqualByComparingTo("9223372036.854775807");
  }

  @Test
  void summingManySmallCostsLosesNothing() {
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < 1000; i++) {
      total = total.add(PriceTier.cost(3, d("0.10")));
    }
    assertThat(total).isEqualByComparingTo("0.0003");
    assertThat(total).isEqualByComparingTo(PriceTier.cost(3000, d("0.10")));
  }

  @Test
  void theLongContextTierAppliesStrictlyAboveItsThreshold() {
    assertThat(SONNET.tierFor(0)).isEqualTo(SONNET.baseTier());
    assertThat(SONNET.tierFor(200_000)).isEqualTo(SONNET.baseTier());
    assertThat(SONNET.tierFor(200_001)).isEqualTo(LONG);
    assertThat(SONNET.tierFor(1_000_000).output()).isEqualByComparingTo("22.50");
    assertThat(SONNET.baseTier().aboveInputTokens()).isZero();
  }

  @Test
  void theHighestApplicableOfSeveralTiersWins() {
    PriceTier mid = new PriceTier(128_000, d("2"), null, null, d("8"), null);
    PriceTier high = new PriceTier(256_000, d("4"), null, null, d("16"), null);
    ModelPricing pricing = ModelPricing.usd(d("1"), d("4"), DAY, "https://example.com")
        .withTiers(List.of(mid, high));

    assertThat(pricing.tierFor(100_000).input()).isEqualByComparingTo("1");
    assertThat(pricing.tierFor(200_000)).isEqualTo(mid);
    assertThat(pricing.tierFor(300_000)).isEqualTo(high);
  }

  @Test
  void emptyCacheAndReasoningPricesFallBackToInputAndOutput() {
    PriceTier flat = ModelPricing.usd(d("2.50"), d("10.00"), DAY, "https://example.com").baseTier();
    assertThat(flat.cachedInputReadOrInput()).isEqualByComparingTo("2.50");
    assertThat(flat.cachedInputWriteOrInput()).isEqualByComparingTo("2.50");
    assertThat(flat.reasoningOrOutput()).isEqualByComparingTo("10.00");

    PriceTier base = SONNET.baseTier();
    assertThat(base.cachedInputReadOrInput()).isEqualByComparingTo("0.30");
    assertThat(base.cachedInputWriteOrInput()).isEqualByComparingTo("3.75");
    PriceTier reasoning = new PriceTier(0, d("1"), null, null, d("4"), d("5"));
    assertThat(reasoning.reasoningOrOutput()).isEqualByComparingTo("5");
  }

  @Test
  void tiersMustAscendAboveZero() {
    PriceTier a = new PriceTier(200_000, d("1"), null, null, d("1"), null);
    PriceTier b = new PriceTier(100_000, d("1"), null, null, d("1"), null);
    ModelPricing base = ModelPricing.usd(d("1"), d("1"), DAY, "https://example.com");

    assertThatThrownBy(() -> base.withTiers(List.of(a, b))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ascending");
    assertThatThrownBy(() -> base.withTiers(List.of(a, a))).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> base.withTiers(List.of(new PriceTier(0, d("1"), null, null, d("1"), null))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void pricesMustBeNonNegativeAndCurrencyAnIsoCode() {
    assertThatThrownBy(() -> new PriceTier(0, d("-1"), null, null, d("1"), null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("priceTier.input");
    assertThatThrownBy(() -> new ModelPricing(d("1"), null, null, d("1"), null, List.of(), "dollar",
        DAY, "https://example.com")).hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> ModelPricing.usd(d("1"), d("1"), DAY, " "))
        .hasMessageContaining("pricing.source");
  }

  @Test
  void withCachePricesKeepsEverythingElse() {
    ModelPricing pricing = ModelPricing.usd(d("2.50"), d("10"), DAY, "https://example.com")
        .withCachePrices(d("1.25"), null);
    assertThat(pricing.cachedInputRead()).isEqualByComparingTo("1.25");
    assertThat(pricing.cachedInputWrite()).isNull();
    assertThat(pricing.currency()).isEqualTo(ModelPricing.USD);
    assertThat(pricing.pricesAsOf()).isEqualTo(DAY);
  }
}

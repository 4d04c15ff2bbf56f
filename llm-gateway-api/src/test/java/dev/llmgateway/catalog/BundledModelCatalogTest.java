package dev.llmgateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BundledModelCatalogTest {
  private static final ModelCatalog BUNDLED = ModelCatalog.bundled();

  private static ModelInfo get(String provider, String model) {
    return BUNDLED.find(provider, model).orElseThrow(() -> new AssertionError(provider + "/" + model));
  }

  @Test
  void loadsOnceAndCoversTheMainProviders() {
    assertThat(ModelCatalog.bundled()).isSameAs(BUNDLED);
    assertThat(BUNDLED.models()).hasSizeGreaterThan(25);
    assertThat(BUNDLED.models()).extracting(ModelInfo::provider)
        .containsOnly("openai", "anthropic", "gemini", "mistral", "groq")
        .contains("openai", "anthropic", "gemini", "mistral", "groq");
  }

  @Test
  void everyRowIsPricedInUsdWithADateASourceAndAVerificationNote() {
    for (ModelInfo info : BUNDLED.models()) {
      ModelPricing pricing = info.pricing();
      assertThat(pricing).as(info.id()).isNotNull();
      assertThat(pricing.currency()).as(info.id()).isEqualTo("USD");
      assertThat(pricing.pricesAsOf()).as(info.id()).isAfter(LocalDate.of(2025, 1, 1))
          .isBeforeOrEqualTo(LocalDate.of(2026, 11, 26));
      assertThat(pricing.source()).as(info.id()).startsWith("https://");
      assertThat(info.note()).as(info.id()).isNotNull().matches("(official|secondary).*");
      assertThat(pricing.input().signum()).as(info.id()).isPositive();
      assertThat(pricing.output()).as(info.id()).isGreaterThanOrEqualTo(pricing.input());
    }
  }

  @Test
  void theDocumentedExamplesHaveTheirPrices() {
    ModelPricing gpt4o = get("openai", "gpt-4o").pricing();
    assertThat(gpt4o.input()).isEqualByComparingTo("2.50");
    assertThat(gpt4o.cachedInputRead()).isEqualByComparingTo("1.25");
    assertThat(gpt4o.cachedInputWrite()).isNull();
    assertThat(gpt4o.output()).isEqualByComparingTo("10.00");
    assertThat(get("openai", "gpt-4o-2024-08-06")).isSameAs(get("openai", "gpt-4o"));
    assertThat(get("openai", "gpt-4o-2024-05-13").pricing().input()).isEqualByComparingTo("5.00");

    ModelPricing sonnet = get("anthropic", "claude-sonnet-4-5-20250929").pricing();
    assertThat(sonnet.tierFor(150_000).input()).isEqualByComparingTo("3.00");
    assertThat(sonnet.tierFor(250_000).input()).isEqualByComparingTo("6.00");
    assertThat(sonnet.tierFor(250_000).output()).isEqualByComparingTo("22.50");

    ModelPricing pro = get("gemini", "gemini-2.5-pro").pricing();
    assertThat(pro.tierFor(200_000).output()).isEqualByComparingTo("10.00");
    assertThat(pro.tierFor(200_001).input()).isEqualByComparingTo("2.50");
    assertThat(pro.tierFor(200_001).output()).isEqualByComparingTo("15.00");
  }

  @Test
  void anthropicCacheWritesCostAQuarterMoreThanInputAndReadsATenth() {
    for (ModelInfo info : BUNDLED.models()) {
      if (!info.provider().equals("anthropic")) {
        continue;
      }
      for (PriceTier tier : info.pricing().tiers().isEmpty()
          ? java.util.List.of(info.pricing().baseTier())
          : java.util.List.of(info.pricing().baseTier(), info.pricing().tiers().get(0))) {
        assertThat(tier.cachedInputWrite()).as(info.id())
            .isEqualByComparingTo(tier.input().multiply(new BigDecimal("1.25")));
        assertThat(tier.cachedInputRead()).as(info.id())
            .isEqualByComparingTo(tier.input().multiply(new BigDecimal("0.1")));
      }
    }
  }

  @Test
  void onlyAnthropicHasASeparateCacheWritePrice() {
    assertThat(BUNDLED.models()).filteredOn(m -> m.pricing().cachedInputWrite() != null)
        .extracting(ModelInfo::provider).containsOnly("anthropic");
  }

  @Test
  void capabilitiesDocumentedAsMissingAreFalse() {
    assertThat(get("openai", "o3-mini").capabilities().vision()).isFalse();
    assertThat(get("groq", "llama-3.3-70b-versatile").capabilities().vision()).isFalse();
    assertThat(get("anthropic", "claude-sonnet-4-0").capabilities().jsonSchema()).isFalse();
    assertThat(get("mistral", "codestral-2508").capabilities().vision()).isFalse();
    assertThat(get("openai", "gpt-4o").capabilities())
        .isEqualTo(new ModelCapabilities(true, true, true, false));
  }

  @Test
  void maxOutputNeverExceedsTheContextWindow() {
    for (ModelInfo info : BUNDLED.models()) {
      if (info.maxOutputTokens() != null) {
        assertThat(info.maxOutputTokens()).as(info.id()).isLessThanOrEqualTo(info.contextWindow());
      }
    }
    assertThat(get("openai", "gpt-4.1").maxOutputTokens()).isEqualTo(32_768);
    assertThat(get("mistral", "mistral-medium-2508").maxOutputTokens()).isNull();
  }

  @Test
  void namesAreUniquePerProvider() {
    Set<String> seen = new java.util.HashSet<>();
    for (ModelInfo info : BUNDLED.models()) {
      assertThat(seen.add(info.id())).as(info.id()).isTrue();
      for (String alias : info.aliases()) {
        assertThat(seen.add(info.provider() + "/" + alias)).as(alias).isTrue();
      }
    }
  }
}

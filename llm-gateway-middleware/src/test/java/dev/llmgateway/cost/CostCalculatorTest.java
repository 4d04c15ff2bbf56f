package dev.llmgateway.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.Cost;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.anthropic.internal.AnthropicUsageTally;
import dev.llmgateway.provider.gemini.internal.GeminiResponseDecoder;
import dev.llmgateway.provider.openai.internal.OpenAiResponseDecoder;
import dev.llmgateway.tokens.Recordings;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Cached, cache-write, reasoning and long-context usage, in each provider's documented wire shape (none
 * of the recordings has cache traffic except DeepSeek's), decoded by the adapters and priced.
 */
class CostCalculatorTest {
  private static final ModelCatalog CATALOG = ModelCatalog.bundled();

  private static ModelPricing pricing(String provider, String model) {
    return CATALOG.find(provider, model).orElseThrow().pricing();
  }

  private static JsonNode json(String text) throws Exception {
    return Recordings.MAPPER.readTree(text);
  }

  @Test
  void anthropicCacheReadsAndWritesAreChargedOnceEach() throws Exception {
    // Anthropic reports input_tokens without the cache: 100 uncached, 1000 written, 5000 read.
    Usage usage = AnthropicUsageTally.of(json("{\"input_tokens\":100,\"cache_creation_input_tokens\":1000,"
        + "\"cache_read_input_tokens\":5000,\"output_tokens\":200}"));
    assertThat(usage).isEqualTo(new Usage(6100, 200, 5000, 1000, 0, false));
    Cost cost = CostCalculator.STANDARD.calculate(usage, pricing("anthropic", "claude-sonnet-4-5"));
    // uncached 6100 - 5000 - 1000 = 100 x $3.00 = 300 -> 0.0003
    // cache read 5000 x $0.30 = 1500 -> 0.0015; cache write 1000 x $3.75 = 3750 -> 0.00375
    // output 200 x $15.00 = 3000 -> 0.003; total 0.00855
    assertThat(cost.input()).isEqualByComparingTo("0.0003");
    assertThat(cost.cacheRead()).isEqualByComparingTo("0.0015");
    assertThat(cost.cacheWrite()).isEqualByComparingTo("0.00375");
    assertThat(cost.output()).isEqualByComparingTo("0.003");
    assertThat(cost.total()).isEqualByComparingTo("0.00855");
  }

  @Test
  void openAiCachedTokensAreNotAlsoChargedAsInput() throws Exception {
    Usage usage = OpenAiResponseDecoder.usage(json("{\"prompt_tokens\":2000,\"completion_tokens\":100,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1536}}"));
    Cost cost = CostCalculator.STANDARD.calculate(usage, pricing("openai", "gpt-4o"));
    // uncached 464 x $2.50 = 1160 -> 0.00116; cached 1536 x $1.25 = 1920 -> 0.00192
    // output 100 x $10 = 1000 -> 0.001; total 0.00408
    assertThat(cost.input()).isEqualByComparingTo("0.00116");
    assertThat(cost.cacheRead()).isEqualByComparingTo("0.00192");
    assertThat(cost.total()).isEqualByComparingTo("0.00408");
  }

  @Test
  void geminiCachedContentAndThoughts() throws Exception {
    Usage usage = GeminiResponseDecoder.usage(json("{\"promptTokenCount\":10000,"
        + "\"cachedContentTokenCount\":8000,\"candidatesTokenCount\":100,\"thoughtsTokenCount\":50}"));
    assertThat(usage).isEqualTo(new Usage(10000, 150, 8000, 0, 50, false));
    Cost cost = CostCalculator.STANDARD.calculate(usage, pricing("gemini", "gemini-2.5-pro"));
    // uncached 2000 x $1.25 = 2500 -> 0.0025; cached 8000 x $0.125 = 1000 -> 0.001
    // plain output 100 x $10 = 1000 -> 0.001; thoughts 50 x $10 = 500 -> 0.0005; total 0.005
    assertThat(cost.total()).isEqualByComparingTo("0.005");
    assertThat(cost.reasoning()).isEqualByComparingTo("0.0005");
  }

  @Test
  void theLongContextTierAppliesToEveryTokenAboveItsThreshold() {
    ModelPricing sonnet = pricing("anthropic", "claude-sonnet-4-5");
    // exactly 200,000 input tokens: base prices. 200000 x $3 = 0.6; 1000 x $15 = 0.015
    assertThat(CostCalculator.STANDARD.calculate(Usage.of(200_000, 1000), sonnet).total())
        .isEqualByComparingTo("0.615");
    // 250,000 with 100,000 read from the cache: the tier ($6.00, $0.60 cached, $22.50 output) for all
    // uncached 150000 x 6 = 0.9; cached 100000 x 0.60 = 0.06; output 1000 x 22.50 = 0.0225; total 0.9825
    Usage big = new Usage(250_000, 1000, 100_000, 0, 0, false);
    assertThat(CostCalculator.STANDARD.calculate(big, sonnet).total()).isEqualByComparingTo("0.9825");
  }

  @Test
  void aSeparateReasoningPriceIsUsedWhenTheCatalogHasOne() {
    ModelPricing withReasoning = new ModelPricing(new BigDecimal("1"), null, null, new BigDecimal("2"),
        new BigDecimal("8"), java.util.List.of(), "USD", java.time.LocalDate.parse("2026-01-01"), "test");
    // 1000 output of which 400 reasoning: 600 x 2 = 1200 -> 0.0012; 400 x 8 = 3200 -> 0.0032
    Cost cost = CostCalculator.STANDARD.calculate(new Usage(0, 1000, 0, 0, 400, false), withReasoning);
    assertThat(cost.output()).isEqualByComparingTo("0.0012");
    assertThat(cost.reasoning()).isEqualByComparingTo("0.0032");
  }

  @Test
  void inconsistentUsageNeverGivesANegativeAmount() {
    // a provider claiming more cached than input tokens: the uncached remainder is 0, not negative
    Cost cost = CostCalculator.STANDARD.calculate(new Usage(10, 5, 50, 0, 9, false),
        pricing("openai", "gpt-4o"));
    assertThat(cost.input()).isEqualByComparingTo("0");
    assertThat(cost.output()).isEqualByComparingTo("0");
    assertThat(cost.total().signum()).isPositive();
  }

  @Test
  void estimatedUsageGivesAnEstimatedCost() {
    Cost cost = CostCalculator.STANDARD.calculate(new Usage(10, 5, 0, 0, 0, true), pricing("openai", "gpt-4o"));
    assertThat(cost.estimated()).isTrue();
  }

  @Test
  void costsAreExactAndAddUp() {
    Cost a = CostCalculator.STANDARD.calculate(Usage.of(1, 1), pricing("openai", "gpt-4o-mini"));
    // 1 x 0.15 -> 0.00000015; 1 x 0.60 -> 0.0000006; total 0.00000075, not a rounded double
    assertThat(a.total()).isEqualByComparingTo("0.00000075");
    Cost sum = a;
    for (int i = 1; i < 10_000; i++) {
      sum = sum.plus(a);
    }
    assertThat(sum.total()).isEqualByComparingTo("0.0075");
    assertThatThrownBy(() -> a.plus(Cost.zero("EUR"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCostMustAddUp() {
    BigDecimal one = BigDecimal.ONE;
    assertThatThrownBy(() -> new Cost(BigDecimal.TEN, one, one, one, one, one, "USD", false))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("sum");
    assertThatThrownBy(() -> Cost.of(one, one, one, one, one, "usd", false))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("ISO 4217");
  }
}

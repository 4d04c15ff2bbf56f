package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.catalog.PriceTier;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatorTest {
  private static final LocalDate DAY = LocalDate.of(2025, 6, 1);

  private static ModelInfo priced(String provider, String model, String input, String output) {
    return ModelInfo.of(provider, model, 128_000, null, ModelCapabilities.ALL,
        ModelPricing.usd(new BigDecimal(input), new BigDecimal(output), DAY, "https://example.test"));
  }

  @Test
  void roughTokenCountIsReadCharactersOverFourRoundedUp() {
    ChatRequest request = ChatRequest.builder().model("m")
        .system("12345678")                                     // 8
        .user("123")                                            // 3
        .message(new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("id", "fn", "{}")), null)) // 4
        .message(new Message(Role.TOOL, List.of(new ContentPart.ToolResult("id", "fn", "ok", false)), null)) // 2
        .tool(new ToolDefinition("tool", "desc", "{}", null))    // 4 + 4 + 2
        .build();

    assertThat(TokenEstimator.CHARS_OVER_FOUR.estimate(request)).isEqualTo((8 + 3 + 4 + 2 + 10 + 3) / 4);
  }

  @Test
  void catalogCostIsInputAndOutputTokensAtTheCatalogPrices() {
    ModelCatalog catalog = ModelCatalog.builder().add(priced("openai", "cheap", "0.15", "0.60"))
        .add(priced("openai", "dear", "2.50", "10.00")).build();
    CostEstimator costs = CostEstimator.fromCatalog(catalog);
    ChatRequest request = ChatRequest.builder().model("g").user("x".repeat(400)).maxTokens(50).build();

    // 100 input tokens and 50 output tokens, per million
    assertThat(costs.estimate(Deployment.of("c", "openai/cheap"), request))
        .isEqualByComparingTo(PriceTier.cost(100, new BigDecimal("0.15")).add(PriceTier.cost(50, new BigDecimal("0.60"))));
    assertThat(costs.estimate(Deployment.of("d", "openai/dear"), request))
        .isEqualByComparingTo("0.00075");
  }

  @Test
  void catalogCostAssumesOutputTokensWhenTheRequestSetsNone() {
    ModelCatalog catalog = ModelCatalog.builder().add(priced("openai", "m", "0", "1000000")).build();
    ChatRequest request = ChatRequest.builder().model("g").user("hi").build();

    assertThat(CostEstimator.fromCatalog(catalog).estimate(Deployment.of("m", "openai/m"), request))
        .isEqualByComparingTo(BigDecimal.valueOf(CostEstimator.DEFAULT_ASSUMED_OUTPUT_TOKENS));
    assertThat(CostEstimator.DEFAULT_ASSUMED_OUTPUT_TOKENS).isEqualTo(256);
  }

  @Test
  void catalogCostLooksDeploymentsUpUnderTheirCatalogModel() {
    ModelCatalog catalog = ModelCatalog.builder().add(priced("openai", "gpt-4o", "2.50", "10.00")).build();
    CostEstimator costs = CostEstimator.fromCatalog(catalog);
    ChatRequest request = ChatRequest.builder().model("g").user("hi").maxTokens(1).build();

    assertThat(costs.estimate(Deployment.of("eu", "openai-eu/gpt-4o"), request)).isNull();
    assertThat(costs.estimate(Deployment.builder("eu", "openai-eu/gpt-4o").catalogModel("openai/gpt-4o")
        .build(), request)).isNotNull().isPositive();
  }

  @Test
  void lowestCostFromTheCatalogPrefersTheCheaperModel() {
    ModelCatalog catalog = ModelCatalog.builder().add(priced("openai", "cheap", "0.15", "0.60"))
        .add(priced("openai", "dear", "2.50", "10.00")).build();
    LowestCostStrategy strategy = new LowestCostStrategy(CostEstimator.fromCatalog(catalog));
    Deployment dear = Deployment.of("dear", "openai/dear");
    Deployment cheap = Deployment.of("cheap", "openai/cheap");
    Deployment unknown = Deployment.of("unknown", "other/model");
    ChatRequest request = ChatRequest.builder().model("g").user("hello").build();

    assertThat(strategy.choose(List.of(dear, unknown, cheap), request, CallContext.standalone(false),
        new DeploymentStats())).isEqualTo(cheap);
  }
}

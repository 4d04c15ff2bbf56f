package dev.llmgateway.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.gateway.ModelRef;
import dev.llmgateway.tokens.TokenCounter;
import org.junit.jupiter.api.Test;

class CallPricerTest {
  private final CallPricer pricer = CallPricer.builder().tokenCounter(TokenCounter.estimating())
      .alias("fast", "openai/gpt-4o-mini").build();

  @Test
  void resolvesAliasesProviderModelsAndUniqueCatalogNames() {
    assertThat(pricer.resolve("fast")).isEqualTo(new ModelRef("openai", "gpt-4o-mini"));
    assertThat(pricer.resolve("anthropic/claude-haiku-4-5")).isEqualTo(new ModelRef("anthropic", "claude-haiku-4-5"));
    // a bare name only one provider's catalog entries know
    assertThat(pricer.resolve("gpt-4o")).isEqualTo(new ModelRef("openai", "gpt-4o"));
    assertThat(pricer.resolve("claude-sonnet-4-5-20250929"))
        .isEqualTo(new ModelRef("anthropic", "claude-sonnet-4-5"));
    // a dated snapshot of a bare name
    assertThat(pricer.resolve("gpt-4o-2024-08-06")).isEqualTo(new ModelRef("openai", "gpt-4o-2024-08-06"));
    assertThat(pricer.resolve("my-router-group")).isNull();
  }

  @Test
  void estimatesInputByTheCounterAndOutputByMaxTokens() {
    ChatRequest request = ChatRequest.builder().model("fast").user("Hello there").maxTokens(500).build();
    CallEstimate estimate = pricer.estimate(request);
    assertThat(estimate.provider()).isEqualTo("openai");
    assertThat(estimate.model()).isEqualTo("gpt-4o-mini");
    assertThat(estimate.inputTokens()).isEqualTo(10); // 3 + 4 + 3, the generic estimator
    assertThat(estimate.outputTokens()).isEqualTo(500);
    // gpt-4o-mini: 10 x $0.15 = 1.5 -> 0.0000015; 500 x $0.60 = 300 -> 0.0003; total 0.0003015
    assertThat(estimate.cost().total()).isEqualByComparingTo("0.0003015");
    assertThat(estimate.cost().estimated()).isTrue();
  }

  @Test
  void assumesTheDefaultOutputWithoutMaxTokens() {
    CallEstimate estimate = pricer.estimate(ChatRequest.builder().model("fast").user("Hi").build());
    assertThat(estimate.outputTokens()).isEqualTo(CallPricer.DEFAULT_ASSUMED_OUTPUT_TOKENS);
  }

  @Test
  void anUnknownModelHasNoEstimatedCost() {
    CallEstimate estimate = pricer.estimate(ChatRequest.builder().model("my-router-group").user("Hi").build());
    assertThat(estimate.provider()).isNull();
    assertThat(estimate.cost()).isNull();
    assertThat(estimate.inputTokens()).isPositive();
  }

  @Test
  void anEmptyCatalogPricesNothing() {
    CallPricer none = CallPricer.builder().modelCatalog(ModelCatalog.empty())
        .tokenCounter(TokenCounter.estimating()).build();
    assertThat(none.estimate(ChatRequest.builder().model("openai/gpt-4o").user("Hi").build()).cost()).isNull();
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> CallPricer.builder().assumedOutputTokens(-1))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("assumedOutputTokens");
  }
}

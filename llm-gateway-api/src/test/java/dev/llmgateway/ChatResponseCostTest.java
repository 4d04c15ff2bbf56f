package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatResponseCostTest {
  private static final Cost COST = Cost.of(new BigDecimal("0.00015"), BigDecimal.ZERO, BigDecimal.ZERO,
      new BigDecimal("0.0006"), BigDecimal.ZERO, "USD", false);

  private static ChatResponse answer() {
    return ChatResponse.builder().model("m").provider("p").message(Message.assistant("hi")).build();
  }

  @Test
  void aBuiltResponseIsUnpricedByDefault() {
    assertThat(ChatResponse.DEFAULT_COST).isNull();
    assertThat(answer().cost()).isEqualTo(ChatResponse.DEFAULT_COST);
  }

  @Test
  void toBuilderAndWithAttemptsKeepTheCost() {
    ChatResponse priced = answer().toBuilder().cost(COST).build();

    assertThat(priced.cost()).isEqualTo(COST);
    assertThat(priced.toBuilder().build()).isEqualTo(priced);
    assertThat(priced.withAttempts(List.of()).cost()).isEqualTo(COST);
    assertThat(priced.withCost(null).cost()).isNull();
    assertThat(answer().withCost(COST)).isEqualTo(priced);
  }

  @Test
  void aCostIsTheExactSumOfItsParts() {
    assertThat(COST.total()).isEqualByComparingTo("0.00075");
    BigDecimal one = BigDecimal.ONE;
    assertThatThrownBy(() -> new Cost(BigDecimal.TEN, one, one, one, one, one, "USD", false))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("sum");
  }
}

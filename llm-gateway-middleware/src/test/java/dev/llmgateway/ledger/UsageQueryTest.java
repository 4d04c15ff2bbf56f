package dev.llmgateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Usage;
import dev.llmgateway.cost.CallOutcome;
import dev.llmgateway.Cost;
import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class UsageQueryTest {
  static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

  static UsageRecord record(int minute, @Nullable String tenant, String model, Map<String, String> tags,
      Usage usage, @Nullable String cost, String currency) {
    Cost c = cost == null ? null : Cost.of(new BigDecimal(cost), BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, BigDecimal.ZERO, currency, usage.estimated());
    return new UsageRecord(T0.plusSeconds(60L * minute), "call-" + minute, tenant, "user-" + minute % 2,
        "app", "openai", model, null, tags, usage, c, CallOutcome.SUCCEEDED,
        java.time.Duration.ofMillis(100L * (minute + 1)), null);
  }

  private final List<UsageRecord> records = List.of(
      record(0, "acme", "gpt-4o", Map.of("feature", "search"), Usage.of(100, 10), "0.10", "USD"),
      record(1, "acme", "gpt-4o-mini", Map.of("feature", "chat"), Usage.of(200, 20), "0.02", "USD"),
      record(2, "globex", "gpt-4o", Map.of("feature", "search"),
          new Usage(300, 30, 100, 0, 5, true), "0.30", "USD"),
      record(3, null, "gpt-4o", Map.of(), Usage.of(400, 40), null, "USD"),
      record(4, "acme", "gpt-4o", Map.of(), Usage.of(500, 50), "0.05", "EUR"),
      record(90, "acme", "gpt-4o", Map.of(), Usage.of(600, 60), "0.60", "USD"));

  @Test
  void sumsEverythingInTheRangeIntoOneRow() {
    List<UsageTotals> rows = UsageQuery.builder(T0, T0.plusSeconds(3600)).build().aggregate(records);
    assertThat(rows).singleElement().satisfies(total -> {
      assertThat(total.group()).isEmpty();
      assertThat(total.calls()).isEqualTo(5); // minute 90 is outside the hour
      assertThat(total.inputTokens()).isEqualTo(1500);
      assertThat(total.outputTokens()).isEqualTo(150);
      assertThat(total.cachedInputTokens()).isEqualTo(100);
      assertThat(total.reasoningTokens()).isEqualTo(5);
      assertThat(total.totalTokens()).isEqualTo(1650);
      assertThat(total.estimatedCalls()).isEqualTo(1);
      assertThat(total.unpricedCalls()).isEqualTo(1);
      // 0.10 + 0.02 + 0.30 = 0.42 USD, exactly; the EUR record is summed apart
      assertThat(total.cost("USD")).isEqualTo(new BigDecimal("0.42"));
      assertThat(total.cost("EUR")).isEqualTo(new BigDecimal("0.05"));
      assertThat(total.cost("GBP")).isEqualByComparingTo("0");
      // minutes 0..4 took 100, 200, 300, 400 and 500 ms
      assertThat(total.totalLatency()).isEqualTo(java.time.Duration.ofMillis(1500));
      assertThat(total.meanLatency()).isEqualTo(java.time.Duration.ofMillis(300));
    });
  }

  @Test
  void groupsByTenantAndModelInAStableOrder() {
    List<UsageTotals> rows = UsageQuery.builder(T0, T0.plusSeconds(3600))
        .groupBy(Dimension.TENANT, Dimension.MODEL).build().aggregate(records);
    assertThat(rows).extracting(r -> r.group(Dimension.TENANT) + "/" + r.group(Dimension.MODEL))
        .containsExactly("null/gpt-4o", "acme/gpt-4o", "acme/gpt-4o-mini", "globex/gpt-4o");
    assertThat(rows.get(1).calls()).isEqualTo(2);
    assertThat(rows.get(1).inputTokens()).isEqualTo(600);
    assertThat(rows.get(0).group()).doesNotContainKey(Dimension.TENANT);
  }

  @Test
  void groupsAndFiltersByATag() {
    UsageQuery query = UsageQuery.builder(T0, T0.plusSeconds(3600)).groupBy(Dimension.tag("feature"))
        .where(Dimension.MODEL, "gpt-4o").build();
    List<UsageTotals> rows = query.aggregate(records);
    assertThat(rows).extracting(r -> r.group(Dimension.tag("feature")))
        .containsExactly(null, "search");
    assertThat(rows.get(1).calls()).isEqualTo(2);
    assertThat(rows.get(1).cost("USD")).isEqualByComparingTo("0.40");
  }

  @Test
  void theRangeIncludesItsStartAndExcludesItsEnd() {
    UsageQuery query = UsageQuery.builder(T0.plusSeconds(60), T0.plusSeconds(120)).build();
    assertThat(query.aggregate(records)).singleElement()
        .satisfies(r -> assertThat(r.calls()).isEqualTo(1));
    assertThat(UsageQuery.builder(T0.plusSeconds(7200), T0.plusSeconds(7201)).build().aggregate(records))
        .isEmpty();
  }

  @Test
  void rejectsAnEmptyRangeAndRepeatedDimensions() {
    assertThatThrownBy(() -> UsageQuery.builder(T0, T0).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("after");
    assertThatThrownBy(() -> UsageQuery.builder(T0, T0.plusSeconds(1))
        .groupBy(Dimension.USER, Dimension.USER).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> Dimension.tag(" ")).isInstanceOf(LlmConfigurationException.class);
  }
}

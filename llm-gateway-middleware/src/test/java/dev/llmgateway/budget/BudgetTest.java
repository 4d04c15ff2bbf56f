package dev.llmgateway.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.RequestMetadata;
import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    Budget budget = Budget.builder("b").money("10", "USD").build();
    assertThat(budget.scope()).isEqualTo(Budget.DEFAULT_SCOPE).isEqualTo(BudgetScope.GLOBAL);
    assertThat(budget.period()).isEqualTo(Budget.DEFAULT_PERIOD).isEqualTo(BudgetPeriod.MONTH);
    assertThat(budget.hard()).isEqualTo(Budget.DEFAULT_HARD).isTrue();
    assertThat(budget.alertPercents()).isEqualTo(Budget.DEFAULT_ALERT_PERCENTS).containsExactly(50, 80, 100);
    assertThat(budget.zone()).isEqualTo(Budget.DEFAULT_ZONE).isEqualTo(ZoneOffset.UTC);
    assertThat(budget.moneyScale()).isEqualTo(Budget.DEFAULT_MONEY_SCALE).isEqualTo(6);
    assertThat(budget.subject()).isNull();
  }

  @Test
  void countsMoneyInMicroUnitsRoundedUp() {
    Budget budget = Budget.builder("b").money("100.50", "USD").build();
    assertThat(budget.limitUnits()).isEqualTo(100_500_000L);
    assertThat(budget.toUnits(new BigDecimal("0.0000001"))).isEqualTo(1); // a tenth of a unit -> 1
    assertThat(budget.toUnits(new BigDecimal("0.000335"))).isEqualTo(335);
    assertThat(budget.fromUnits(335)).isEqualByComparingTo("0.000335");
    assertThat(budget.describe(new BigDecimal("0.4200"))).isEqualTo("0.42 USD");
    Budget tokens = Budget.builder("t").tokens(1000).build();
    assertThat(tokens.limitUnits()).isEqualTo(1000);
    assertThat(tokens.describe(BigDecimal.valueOf(12))).isEqualTo("12 tokens");
  }

  @Test
  void findsTheSubjectOfACall() {
    RequestMetadata acme = new RequestMetadata("acme", "alice", "ui", Map.of("team", "search"));
    assertThat(Budget.builder("g").money("1", "USD").build().subjectOf(acme)).isEqualTo("*");
    assertThat(Budget.builder("t").perTenant().money("1", "USD").build().subjectOf(acme)).isEqualTo("acme");
    assertThat(Budget.builder("t").tenant("acme").money("1", "USD").build().subjectOf(acme)).isEqualTo("acme");
    assertThat(Budget.builder("t").tenant("globex").money("1", "USD").build().subjectOf(acme)).isNull();
    assertThat(Budget.builder("u").perUser().money("1", "USD").build().subjectOf(acme)).isEqualTo("alice");
    assertThat(Budget.builder("a").application("ui").money("1", "USD").build().subjectOf(acme)).isEqualTo("ui");
    assertThat(Budget.builder("x").perTag("team").money("1", "USD").build().subjectOf(acme)).isEqualTo("search");
    assertThat(Budget.builder("x").tag("team", "ads").money("1", "USD").build().subjectOf(acme)).isNull();
    assertThat(Budget.builder("t").perTenant().money("1", "USD").build().subjectOf(RequestMetadata.EMPTY))
        .isNull();
  }

  @Test
  void periodsFollowTheBudgetsCalendar() {
    Instant now = Instant.parse("2025-06-30T23:30:00Z");
    assertThat(BudgetPeriod.DAY.key(now, ZoneOffset.UTC)).isEqualTo("2025-06-30");
    assertThat(BudgetPeriod.MONTH.key(now, ZoneOffset.UTC)).isEqualTo("2025-06");
    assertThat(BudgetPeriod.TOTAL.key(now, ZoneOffset.UTC)).isEqualTo("total");
    ZoneId berlin = ZoneId.of("Europe/Berlin"); // already 1 July there
    assertThat(BudgetPeriod.DAY.key(now, berlin)).isEqualTo("2025-07-01");
    assertThat(BudgetPeriod.MONTH.key(now, berlin)).isEqualTo("2025-07");
    assertThat(BudgetPeriod.DAY.end(now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-07-01T00:00:00Z"));
    assertThat(BudgetPeriod.MONTH.end(now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-07-01T00:00:00Z"));
    assertThat(BudgetPeriod.TOTAL.end(now, ZoneOffset.UTC)).isNull();
  }

  @Test
  void rejectsContradictions() {
    assertThatThrownBy(() -> Budget.builder("no limit").build())
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> Budget.builder("b").build()).hasMessageContaining("needs a limit");
    assertThatThrownBy(() -> Budget.builder("b").money("0.0000001", "USD").build())
        .hasMessageContaining("decimal places");
    assertThatThrownBy(() -> Budget.builder("b").money("10000000000", "USD").build())
        .hasMessageContaining("2^53");
    assertThatThrownBy(() -> Budget.builder("b").money("-1", "USD").build()).hasMessageContaining("above 0");
    assertThatThrownBy(() -> Budget.builder("b").money("1", "USD").alertAt(80, 50).build())
        .hasMessageContaining("ascending");
    assertThatThrownBy(() -> new Budget("b", BudgetScope.GLOBAL, null, "acme", BudgetPeriod.DAY,
        BudgetUnit.TOKENS, BigDecimal.TEN, null, true, List.of(), ZoneOffset.UTC, 6))
        .hasMessageContaining("global");
  }
}

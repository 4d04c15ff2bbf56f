package dev.llmgateway.budget;

import dev.llmgateway.gateway.internal.Check;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A budget's spending crossed one of its alert thresholds. Fired once per budget, subject, period and
 * threshold (across every instance sharing the store).
 *
 * @param budget the budget
 * @param subject the tenant, user, application or tag value; {@code "*"} for a global budget
 * @param period the period's key, e.g. {@code 2025-06}
 * @param percent the threshold crossed, in percent of the limit
 * @param spent what was spent in the period when it was crossed, in the budget's unit
 * @param limit the budget's limit
 * @param time when it was crossed
 */
public record BudgetAlert(Budget budget, String subject, String period, int percent, BigDecimal spent,
    BigDecimal limit, Instant time) {

  public BudgetAlert {
    Check.nonNull(budget, "budgetAlert.budget");
    Check.nonNull(subject, "budgetAlert.subject");
    Check.nonNull(period, "budgetAlert.period");
    Check.nonNull(spent, "budgetAlert.spent");
    Check.nonNull(limit, "budgetAlert.limit");
    Check.nonNull(time, "budgetAlert.time");
  }

  @Override
  public String toString() {
    return "BudgetAlert[" + budget.id() + " (" + budget.describeScope(subject) + ", " + period + ") at "
        + percent + "%: " + budget.describe(spent) + " of " + budget.describe(limit) + "]";
  }
}

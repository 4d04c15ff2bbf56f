package dev.llmgateway.budget;

import dev.llmgateway.gateway.internal.Check;
import java.math.BigDecimal;

/**
 * Where a budget stands for one subject in the current period, in the budget's unit (money or tokens).
 *
 * @param budget the budget
 * @param subject the tenant, user, application or tag value; {@code "*"} for a global budget
 * @param period the period's key
 * @param limit the limit
 * @param spent what calls that ended have cost
 * @param reserved what calls in flight have reserved
 */
public record BudgetStatus(Budget budget, String subject, String period, BigDecimal limit,
    BigDecimal spent, BigDecimal reserved) {

  public BudgetStatus {
    Check.nonNull(budget, "budgetStatus.budget");
    Check.nonNull(subject, "budgetStatus.subject");
    Check.nonNull(period, "budgetStatus.period");
    Check.nonNull(limit, "budgetStatus.limit");
    Check.nonNull(spent, "budgetStatus.spent");
    Check.nonNull(reserved, "budgetStatus.reserved");
  }

  /** What is left for new calls: the limit less spent and reserved, at least zero. */
  public BigDecimal remaining() {
    BigDecimal left = limit.subtract(spent).subtract(reserved);
    return left.signum() < 0 ? BigDecimal.ZERO : left;
  }
}

package dev.llmgateway.budget;

import dev.llmgateway.error.BudgetExceededException;
import dev.llmgateway.error.ErrorContext;
import java.math.BigDecimal;

/**
 * A hard {@link Budget} refused a call before it was sent, because the call's estimated cost did not fit
 * in what is left. The message names the budget, whose it is, the period, what is left and what the call
 * needed; so do the accessors. Not retryable: the budget's period must reset, or the budget be raised
 * ({@link #retryAfter()} says when the period ends, for daily and monthly budgets).
 */
public class BudgetLimitException extends BudgetExceededException {
  private final transient Budget budget;
  private final String subject;
  private final String period;
  private final BigDecimal remaining;
  private final BigDecimal needed;

  public BudgetLimitException(Budget budget, String subject, String period, BigDecimal remaining,
      BigDecimal needed, ErrorContext context) {
    super("budget '" + budget.id() + "' (" + budget.describeScope(subject) + ", " + period + ") has "
        + budget.describe(remaining) + " left of " + budget.describe(budget.limit())
        + "; this call needs an estimated " + budget.describe(needed), context, null);
    this.budget = budget;
    this.subject = subject;
    this.period = period;
    this.remaining = remaining;
    this.needed = needed;
  }

  /** The budget that refused the call. */
  public Budget budget() {
    return budget;
  }

  /** The tenant, user, application or tag value whose budget it is; {@code "*"} for a global budget. */
  public String subject() {
    return subject;
  }

  /** The period's key, e.g. {@code 2025-06}. */
  public String period() {
    return period;
  }

  /** What was left of the budget, in its unit. */
  public BigDecimal remaining() {
    return remaining;
  }

  /** The call's estimated cost, in the budget's unit. */
  public BigDecimal needed() {
    return needed;
  }
}

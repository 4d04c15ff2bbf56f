/**
 * Budgets: limits on what a tenant, user, application, tag or everyone may spend per day, per month or in
 * total, in money or tokens. The {@link dev.llmgateway.budget.BudgetInterceptor} reserves each call's
 * estimated cost before it is sent, refuses it with a {@link dev.llmgateway.budget.BudgetLimitException}
 * when a hard budget cannot cover it, settles the reservation to the actual cost when the call ends, and
 * fires {@link dev.llmgateway.budget.BudgetAlert}s at soft thresholds, once each per period. Counters live
 * in a {@link dev.llmgateway.budget.BudgetStore}: in memory by default, in Redis to share budgets across
 * instances.
 *
 * <p>See {@code docs/cost-and-budgets.md}.
 */
@NullMarked
package dev.llmgateway.budget;

import org.jspecify.annotations.NullMarked;

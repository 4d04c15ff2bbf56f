/**
 * What a call cost: {@link dev.llmgateway.Cost} (an exact {@link java.math.BigDecimal} total with its
 * breakdown), computed by a {@link dev.llmgateway.cost.CostCalculator} from a call's
 * {@link dev.llmgateway.Usage} and the model catalog's prices, and attached to every call by the
 * {@link dev.llmgateway.cost.CostInterceptor}. {@link dev.llmgateway.cost.CallPricer} is the shared piece
 * that finds a call's model and prices, estimates a call before it is sent and prices it after; the
 * ledger, budgets and rate limits use it too.
 *
 * <p>See {@code docs/cost-and-budgets.md}.
 */
@NullMarked
package dev.llmgateway.cost;

import org.jspecify.annotations.NullMarked;

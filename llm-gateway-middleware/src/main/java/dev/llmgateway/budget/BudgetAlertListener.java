package dev.llmgateway.budget;

/**
 * Told when a budget crosses an alert threshold: page someone, email the tenant, switch to a cheaper
 * model. Small enough for a lambda:
 *
 * <pre>{@code
 * BudgetAlertListener log = alert -> LOG.warn("budget alert: {}", alert);
 * }</pre>
 *
 * <p>Called on the thread of the call that crossed the threshold, after the call ended; keep it fast. An
 * exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface BudgetAlertListener {

  /** {@code alert} fired. */
  void onAlert(BudgetAlert alert);
}

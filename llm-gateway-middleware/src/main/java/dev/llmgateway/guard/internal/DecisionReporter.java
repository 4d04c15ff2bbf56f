package dev.llmgateway.guard.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.guard.GuardDecision;
import dev.llmgateway.guard.GuardDecisionLog;
import dev.llmgateway.guard.GuardListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a guard's decision in the call's {@link GuardDecisionLog} and tells the guard's
 * {@link GuardListener}, whose exceptions are logged and never reach the call.
 */
public final class DecisionReporter {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionReporter.class);

  private final GuardListener listener;

  public DecisionReporter(GuardListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public void report(CallContext context, GuardDecision decision) {
    GuardDecisionLog.of(context).record(decision);
    try {
      listener.onDecision(context, decision);
    } catch (RuntimeException e) {
      LOG.warn("guard listener {} failed on call {}: {}", listener.getClass().getName(),
          context.callId(), e.toString());
    }
  }
}

package dev.llmgateway.guard;

import dev.llmgateway.CallContext;

/**
 * Hears each {@link GuardDecision} as a guard makes it, e.g. to count refusals in a metric or to alert on
 * an attack. Like a {@link dev.llmgateway.ChatEventListener}, it observes and never intercepts: it runs on
 * the call's thread, must be fast, and an exception it throws is logged and ignored. The audit log does not
 * need one: it reads the call's {@link GuardDecisionLog} when the call ends.
 */
@FunctionalInterface
public interface GuardListener {

  /** A listener that does nothing. */
  GuardListener NONE = (context, decision) -> {};

  /** {@code decision} was just made for the call of {@code context}. */
  void onDecision(CallContext context, GuardDecision decision);
}

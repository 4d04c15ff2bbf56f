package dev.llmgateway.guard;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Every {@link GuardDecision} of one call, in the order they were made, kept in the call's
 * {@link CallContext} under {@link #KEY}. Guards append to it; listeners read it when the call ends (the
 * {@code AuditListener} writes one audit event per decision from it), which is how a decision reaches the
 * audit log without the guard knowing the log. Thread-safe.
 */
public final class GuardDecisionLog {
  /** Where the log of a call is kept. */
  public static final AttributeKey<GuardDecisionLog> KEY =
      AttributeKey.of("guard.decisions", GuardDecisionLog.class);

  private final List<GuardDecision> decisions = new ArrayList<>();

  /** The log of {@code context}'s call, created on first use. */
  public static GuardDecisionLog of(CallContext context) {
    return context.computeIfAbsent(KEY, k -> new GuardDecisionLog());
  }

  /** The log of {@code context}'s call, or null when no guard has recorded anything. */
  public static @Nullable GuardDecisionLog find(CallContext context) {
    return context.get(KEY);
  }

  /** Appends {@code decision}. */
  public synchronized void record(GuardDecision decision) {
    decisions.add(Objects.requireNonNull(decision, "decision"));
  }

  /** The decisions so far, oldest first. */
  public synchronized List<GuardDecision> decisions() {
    return List.copyOf(decisions);
  }

  /** The first decision that stopped the call, or null. */
  public synchronized @Nullable GuardDecision firstBlock() {
    for (GuardDecision d : decisions) {
      if (d.blocked()) {
        return d;
      }
    }
    return null;
  }

  @Override
  public synchronized String toString() {
    return "GuardDecisionLog" + decisions.stream().map(GuardDecision::describe).toList();
  }
}

package dev.llmgateway.guard;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.GuardRefusedException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A guard refused the request before it was sent: the prompt-injection guard or input moderation. A
 * {@link GuardRefusedException} carrying the {@link GuardDecision}, so the caller can see which rules
 * matched; the message names the guard, the score and the rules, never the text. Not retryable.
 */
public class GuardBlockedException extends GuardRefusedException {
  private final GuardDecision decision;

  public GuardBlockedException(String message, GuardDecision decision, ErrorContext context,
      @Nullable Throwable cause) {
    super(message, context, cause);
    this.decision = Objects.requireNonNull(decision, "decision");
  }

  /** What the guard decided, with the matched rules and categories. */
  public GuardDecision decision() {
    return decision;
  }
}

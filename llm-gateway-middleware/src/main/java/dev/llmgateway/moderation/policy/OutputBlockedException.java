package dev.llmgateway.moderation.policy;

import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.guard.GuardDecision;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's own output moderation stopped an answer: a blocking answer withheld whole, or a stream
 * ended part-way (the chunks delivered before stay delivered). A {@link ContentFilteredException}
 * carrying the {@link GuardDecision}; the message names the category, the rule and, for a stream, the
 * characters checked, never the text. Not retryable as is.
 */
public class OutputBlockedException extends ContentFilteredException {
  private final GuardDecision decision;

  public OutputBlockedException(String message, GuardDecision decision, ErrorContext context,
      @Nullable Throwable cause) {
    super(message, context, cause);
    this.decision = Objects.requireNonNull(decision, "decision");
  }

  /** What moderation decided: the categories, the rule and where in the answer. */
  public GuardDecision decision() {
    return decision;
  }
}

package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** A budget of the gateway refused the call before it was sent. Not retryable until the budget's period resets. */
public class BudgetExceededException extends LlmException {

  public BudgetExceededException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public BudgetExceededException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
  }
}

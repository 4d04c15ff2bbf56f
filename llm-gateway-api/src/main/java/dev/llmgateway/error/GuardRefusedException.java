package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** A guard of the gateway (moderation, prompt-injection, validation) refused the call. Not retryable. */
public class GuardRefusedException extends LlmException {

  public GuardRefusedException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public GuardRefusedException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
  }
}

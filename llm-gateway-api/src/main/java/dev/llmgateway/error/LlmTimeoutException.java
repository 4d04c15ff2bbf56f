package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** A call took longer than allowed (connect, first token, idle between chunks, or the whole call). Retryable. */
public class LlmTimeoutException extends LlmException {

  public LlmTimeoutException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public LlmTimeoutException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, true);
  }
}

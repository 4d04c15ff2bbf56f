package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/**
 * The prompt plus the requested output does not fit the model's context window. Not retryable on the
 * same model; a router may fall back to a larger-context one.
 */
public class ContextLengthExceededException extends InvalidRequestException {

  public ContextLengthExceededException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause);
  }
}

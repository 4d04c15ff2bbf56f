package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/**
 * The request is wrong and will fail everywhere: a validation error of ours, or the provider's HTTP 400,
 * 404 (unknown model) or 422. Not retryable and never a reason to fall back to another provider.
 */
public class InvalidRequestException extends LlmException {

  public InvalidRequestException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public InvalidRequestException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
  }
}

package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** The provider, or one of the gateway's own limits, refused the call for now; {@link #retryAfter()} says how long to wait when known. Retryable, except quota exhaustion, which the context marks as not retryable. */
public class RateLimitedException extends LlmException {

  public RateLimitedException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public RateLimitedException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, true);
  }
}

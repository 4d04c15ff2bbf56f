package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** The provider failed on its side or could not be reached: HTTP 5xx, overload (529), connection refused or reset. Retryable. */
public class ProviderUnavailableException extends LlmException {

  public ProviderUnavailableException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public ProviderUnavailableException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, true);
  }
}

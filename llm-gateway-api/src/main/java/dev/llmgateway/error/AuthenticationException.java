package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** The provider rejected the credentials (HTTP 401 or 403). Not retryable: fix the key. */
public class AuthenticationException extends LlmException {

  public AuthenticationException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public AuthenticationException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
  }
}

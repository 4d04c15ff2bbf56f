package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/**
 * A shared state store (e.g. the Redis server behind budgets and rate limits) could not be reached, and
 * the store is configured to fail closed: the call is refused rather than sent uncounted. Retryable: the
 * same call may pass once the store is back.
 */
public class StateStoreUnavailableException extends LlmException {

  public StateStoreUnavailableException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public StateStoreUnavailableException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, true);
  }
}

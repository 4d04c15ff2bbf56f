package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** The provider answered something that is not its documented wire format (bad JSON, missing fields). Retryable, since it is usually transient. */
public class MalformedResponseException extends LlmException {

  public MalformedResponseException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public MalformedResponseException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, true);
  }
}

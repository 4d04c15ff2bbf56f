package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** A stream ended before the provider said it was complete (connection lost, no terminal event). Retryable only if nothing has reached the caller yet. */
public class StreamInterruptedException extends LlmException {

  public StreamInterruptedException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public StreamInterruptedException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, true);
  }
}

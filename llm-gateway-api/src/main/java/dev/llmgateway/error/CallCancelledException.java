package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** The caller cancelled the call (cancelled its future or closed its stream). */
public class CallCancelledException extends LlmException {

  public CallCancelledException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public CallCancelledException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
  }
}

package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** A safety filter of the provider refused the input or cut the output. Not retryable as is. */
public class ContentFilteredException extends LlmException {

  public ContentFilteredException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public ContentFilteredException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
  }
}

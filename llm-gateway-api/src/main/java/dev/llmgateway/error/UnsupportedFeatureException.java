package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/**
 * The request asks for something the chosen model, provider or interceptor cannot do (tools on a model
 * without tools, a blocking-only interceptor on a stream). Raised before anything is sent.
 */
public class UnsupportedFeatureException extends InvalidRequestException {

  public UnsupportedFeatureException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public UnsupportedFeatureException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause);
  }
}

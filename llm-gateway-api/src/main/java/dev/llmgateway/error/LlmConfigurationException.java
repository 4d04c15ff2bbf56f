package dev.llmgateway.error;

import org.jspecify.annotations.Nullable;

/** The gateway or a provider is misconfigured: a missing API key, an unknown provider, contradictory settings. Raised when the client is built where possible. */
public class LlmConfigurationException extends LlmException {

  public LlmConfigurationException(String message) {
    this(message, ErrorContext.EMPTY, null);
  }

  public LlmConfigurationException(String message, ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
  }
}

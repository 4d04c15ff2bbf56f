package dev.llmgateway.prompt;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;

/**
 * A caller asked a {@link PromptRegistry} for a prompt it does not hold: an unknown name, a version that
 * does not exist, or a malformed reference. A caller's mistake, hence an {@link InvalidRequestException}
 * (HTTP 400 or 404 at an endpoint), never retryable.
 */
public class UnknownPromptException extends InvalidRequestException {
  private final String ref;

  /**
   * @param ref the reference as asked, e.g. {@code summarize@7}
   * @param message what is wrong, naming the reference
   */
  public UnknownPromptException(String ref, String message) {
    super(message, ErrorContext.EMPTY, null);
    this.ref = ref;
  }

  /** The reference as the caller gave it. */
  public String ref() {
    return ref;
  }
}

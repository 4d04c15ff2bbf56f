package dev.llmgateway.error;

import java.util.List;

/**
 * No deployment could serve the call: every one was tried and failed, or is cooling down. Each attempt's
 * failure is attached, in order, as {@link #attempts()} and as suppressed exceptions.
 */
public class NoDeploymentAvailableException extends LlmException {
  private final List<LlmException> attempts;

  public NoDeploymentAvailableException(String message, ErrorContext context,
      List<LlmException> attempts) {
    super(message, context, attempts.isEmpty() ? null : attempts.get(attempts.size() - 1),
        retryableIfAny(attempts));
    this.attempts = List.copyOf(attempts);
    for (LlmException attempt : this.attempts) {
      addSuppressed(attempt);
    }
  }

  private static boolean retryableIfAny(List<LlmException> attempts) {
    return attempts.stream().anyMatch(LlmException::isRetryable);
  }

  /** The failure of each attempt, oldest first. */
  public List<LlmException> attempts() {
    return attempts;
  }
}

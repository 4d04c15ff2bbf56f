package dev.llmgateway.error;

import dev.llmgateway.Attempt;
import java.util.List;

/**
 * No deployment could serve the call: every one was tried and failed, or is cooling down. Each attempt's
 * failure is attached, in order, as {@link #attempts()} and as suppressed exceptions; the router adds its
 * own refusal of each deployment it skipped (cooling down, at its in-flight limit, too small a context
 * window). {@link #attemptLog()} lists the attempts themselves: which deployment, how it ended, how long
 * it took.
 *
 * <p>{@link #retryAfter()} is, when the router knows it, the soonest moment a deployment it considered
 * comes out of its cooldown; {@link #isRetryable()} says whether any cause was retryable;
 * {@link #getCause()} is the last cause.
 */
public class NoDeploymentAvailableException extends LlmException {
  private final List<LlmException> attempts;
  private final List<Attempt> attemptLog;

  /** An exception with causes only and no attempt records. */
  public NoDeploymentAvailableException(String message, ErrorContext context,
      List<LlmException> attempts) {
    this(message, context, attempts, List.of());
  }

  /**
   * @param attempts the failure of each attempt, then the refusals of the deployments not tried
   * @param attemptLog the attempts made, oldest first; empty when none could be made
   */
  public NoDeploymentAvailableException(String message, ErrorContext context,
      List<LlmException> attempts, List<Attempt> attemptLog) {
    super(message, context, attempts.isEmpty() ? null : attempts.get(attempts.size() - 1),
        retryableIfAny(attempts));
    this.attempts = List.copyOf(attempts);
    this.attemptLog = List.copyOf(attemptLog);
    for (LlmException attempt : this.attempts) {
      addSuppressed(attempt);
    }
  }

  private static boolean retryableIfAny(List<LlmException> attempts) {
    return attempts.stream().anyMatch(LlmException::isRetryable);
  }

  /**
   * The failure of each attempt, oldest first, then the refusal of each deployment that was not tried
   * (e.g. cooling down, with its {@code retryAfter}).
   */
  public List<LlmException> attempts() {
    return attempts;
  }

  /** The attempts made for this call, oldest first: deployment, outcome, time spent; empty when none. */
  public List<Attempt> attemptLog() {
    return attemptLog;
  }
}

package dev.llmgateway.routing;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import java.util.List;

/**
 * The {@link NoDeploymentAvailableException} of the {@link RouterInterceptor}: no deployment of the
 * requested group or its fallbacks could serve the call. Besides the causes ({@link #attempts()}: the
 * failure of each attempt, then the router's own refusal of each deployment it did not try, e.g.
 * cooling down with its {@code retryAfter}), it lists the {@link Attempt}s themselves
 * ({@link #attemptLog()}: which deployment, outcome, time spent).
 *
 * <p>{@link #retryAfter()} is the soonest moment a deployment it considered comes out of its cooldown;
 * {@link #isRetryable()} says whether any cause was retryable; {@link #getCause()} is the last cause.
 */
public class RoutingFailedException extends NoDeploymentAvailableException {
  private final List<Attempt> attemptLog;

  public RoutingFailedException(String message, ErrorContext context, List<LlmException> causes,
      List<Attempt> attemptLog) {
    super(message, context, causes);
    this.attemptLog = List.copyOf(attemptLog);
  }

  /** The attempts the router made for this call, oldest first; empty when it could try none. */
  public List<Attempt> attemptLog() {
    return attemptLog;
  }
}

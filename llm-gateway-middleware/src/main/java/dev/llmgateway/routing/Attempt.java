package dev.llmgateway.routing;

import dev.llmgateway.routing.internal.Check;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One attempt the router made: which deployment of which group, how it ended and how long it took. The
 * router keeps every attempt of a call in an {@link AttemptLog} under {@link RouterInterceptor#ATTEMPTS},
 * and a {@link RoutingFailedException} carries them.
 *
 * @param group the group the deployment was chosen from
 * @param deploymentId the deployment's id
 * @param target the deployment's {@code provider/model}
 * @param outcome how the attempt ended
 * @param errorType the fully qualified class name of the exception, for a failed attempt; else null
 * @param errorMessage the exception's message (never an API key or prompt text), for a failed attempt;
 *     else null
 * @param duration from the attempt's start to its end (for a stream: to its last chunk, its failure or
 *     its closing)
 */
public record Attempt(String group, String deploymentId, String target, Outcome outcome,
    @Nullable String errorType, @Nullable String errorMessage, Duration duration) {

  /** How an attempt ended. */
  public enum Outcome {
    /** It answered; for a stream, every chunk arrived. */
    SUCCEEDED,
    /** It failed with {@link #errorType()}. */
    FAILED,
    /** The caller closed the stream before its end. */
    CLOSED_EARLY
  }

  public Attempt {
    Check.nonBlank(group, "attempt.group");
    Check.nonBlank(deploymentId, "attempt.deploymentId");
    Check.nonBlank(target, "attempt.target");
    Check.nonNull(outcome, "attempt.outcome");
    Check.that((outcome == Outcome.FAILED) == (errorType != null),
        "attempt.errorType must be set exactly for a failed attempt");
    Check.that(errorType != null || errorMessage == null, "attempt.errorMessage needs an errorType");
    Check.nonNull(duration, "attempt.duration");
    Check.that(!duration.isNegative(), "attempt.duration must not be negative, was " + duration);
  }

  /** A successful attempt. */
  public static Attempt succeeded(String group, Deployment deployment, Duration duration) {
    return new Attempt(group, deployment.id(), deployment.target(), Outcome.SUCCEEDED, null, null,
        duration);
  }

  /** A failed attempt. */
  public static Attempt failed(String group, Deployment deployment, Throwable error, Duration duration) {
    return new Attempt(group, deployment.id(), deployment.target(), Outcome.FAILED,
        error.getClass().getName(), error.getMessage(), duration);
  }

  /** A stream the caller closed before its end. */
  public static Attempt closedEarly(String group, Deployment deployment, Duration duration) {
    return new Attempt(group, deployment.id(), deployment.target(), Outcome.CLOSED_EARLY, null, null,
        duration);
  }

  /** Whether the attempt answered. */
  public boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }
}

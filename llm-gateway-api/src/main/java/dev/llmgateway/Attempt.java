package dev.llmgateway;

import dev.llmgateway.error.LlmException;
import dev.llmgateway.internal.Require;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One try of a call on one deployment: which deployment of which model group, how it ended and how long
 * it took. The router records one per deployment it sends a call to (retries of that deployment inside
 * it are part of the same attempt); the gateway lists them on the final {@link ChatResponse#attempts()},
 * and a {@link dev.llmgateway.error.NoDeploymentAvailableException} carries them as its
 * {@linkplain dev.llmgateway.error.NoDeploymentAvailableException#attemptLog() attempt log}, so a caller
 * can see where a call went without a debugger.
 *
 * <p>An attempt never holds an API key or prompt text: a failed attempt keeps the exception's class name
 * and, for an {@link LlmException} (whose messages never contain either), its message. For any other
 * exception (a bug in the host's code, whose message nobody vetted) only the class name is kept.
 *
 * @param group the model group (alias) the deployment was chosen from
 * @param deploymentId the deployment's id
 * @param target the deployment's {@code provider/model}
 * @param outcome how the attempt ended
 * @param errorType the fully qualified class name of the exception, for a failed attempt; else null
 * @param errorMessage the exception's message, for a failed attempt that ended in an
 *     {@link LlmException}; else null
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
    Require.nonBlank(group, "attempt.group");
    Require.nonBlank(deploymentId, "attempt.deploymentId");
    Require.nonBlank(target, "attempt.target");
    Require.nonNull(outcome, "attempt.outcome");
    Require.check((outcome == Outcome.FAILED) == (errorType != null),
        "attempt.errorType must be set exactly for a failed attempt");
    Require.check(errorType != null || errorMessage == null, "attempt.errorMessage needs an errorType");
    Require.nonNull(duration, "attempt.duration");
    Require.check(!duration.isNegative(), "attempt.duration must not be negative, was " + duration);
  }

  /** A successful attempt of deployment {@code deploymentId} ({@code target}) of {@code group}. */
  public static Attempt succeeded(String group, String deploymentId, String target, Duration duration) {
    return new Attempt(group, deploymentId, target, Outcome.SUCCEEDED, null, null, duration);
  }

  /**
   * A failed attempt: keeps {@code error}'s class name, and its message when it is an
   * {@link LlmException}.
   */
  public static Attempt failed(String group, String deploymentId, String target, Throwable error,
      Duration duration) {
    Require.nonNull(error, "error");
    return new Attempt(group, deploymentId, target, Outcome.FAILED, error.getClass().getName(),
        error instanceof LlmException ? error.getMessage() : null, duration);
  }

  /** A stream the caller closed before its end. */
  public static Attempt closedEarly(String group, String deploymentId, String target,
      Duration duration) {
    return new Attempt(group, deploymentId, target, Outcome.CLOSED_EARLY, null, null, duration);
  }

  /** Whether the attempt answered. */
  public boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }
}

package dev.llmgateway.routing.internal;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.UnsupportedFeatureException;

/** What a failed attempt means for routing: where the call may go next, if anywhere. */
public enum FailureKind {
  /** Another deployment may succeed: try the group's next deployment, then the general fallbacks. */
  GENERAL,
  /** The request did not fit: the next deployment, then the context-length fallbacks. */
  CONTEXT_LENGTH,
  /** A safety filter refused it: the next deployment, then the content-filter fallbacks. */
  CONTENT_FILTER,
  /** It would fail everywhere, or the caller gave up: stop and rethrow. */
  FATAL;

  public static FailureKind of(LlmException e) {
    if (e instanceof CallCancelledException) {
      return FATAL;
    }
    if (e instanceof ContextLengthExceededException) {
      return CONTEXT_LENGTH;
    }
    if (e instanceof ContentFilteredException) {
      return CONTENT_FILTER;
    }
    if (e instanceof UnsupportedFeatureException) {
      // Named for a provider or model (the provider call's capability checks): another may have it.
      // Without one, a pipeline step refused the call, and would refuse it on any deployment.
      return e.provider() != null ? GENERAL : FATAL;
    }
    if (e instanceof InvalidRequestException) {
      return FATAL;
    }
    if (e instanceof AuthenticationException || e instanceof RateLimitedException) {
      return GENERAL; // each deployment has its own key and its own quota
    }
    return e.isRetryable() ? GENERAL : FATAL;
  }
}

package dev.llmgateway;

import dev.llmgateway.error.LlmException;
import java.time.Duration;

/**
 * Watches calls without changing them: the hook for logs, metrics and traces. Every method has a no-op
 * default, so a listener implements only what it needs.
 *
 * <p>Observing is not intercepting. Listeners run on the call's thread and must be fast; an exception a
 * listener throws is caught and logged by the gateway, never propagated into the call. A listener must
 * not call the client it listens to.
 */
public interface ChatEventListener {

  /** A listener that does nothing. */
  ChatEventListener NONE = new ChatEventListener() {};

  /** The call entered the pipeline. {@code request} is what the caller sent. */
  default void onCallStart(CallContext context, ChatRequest request) {}

  /** An HTTP attempt is about to go to {@code provider} for {@code model}. */
  default void onAttempt(CallContext context, String provider, String model, int attempt) {}

  /** A failed attempt will be retried after {@code delay}. */
  default void onRetry(CallContext context, LlmException cause, int nextAttempt, Duration delay) {}

  /** A failed model group hands the call to {@code toGroup}. */
  default void onFallback(CallContext context, String fromGroup, String toGroup, LlmException cause) {}

  /** The answer came from a cache. */
  default void onCacheHit(CallContext context) {}

  /** The first chunk of a stream arrived {@code sinceStart} after the call started. */
  default void onFirstChunk(CallContext context, Duration sinceStart) {}

  /** The provider reported usage for the call. */
  default void onUsage(CallContext context, Usage usage) {}

  /** The call succeeded; for a stream, when its last chunk was pulled. */
  default void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {}

  /** The call failed (or a stream failed or was closed before its end). */
  default void onCallFailed(CallContext context, LlmException error, Duration elapsed) {}
}

package dev.llmgateway.gateway.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Usage;
import dev.llmgateway.error.LlmException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each event to every listener in order. A listener that throws is logged and skipped: observing
 * must never break a call.
 */
public final class ListenerFanOut implements ChatEventListener {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerFanOut.class);
  private final List<ChatEventListener> listeners;

  public ListenerFanOut(List<ChatEventListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** The listeners, in call order. */
  public List<ChatEventListener> listeners() {
    return listeners;
  }

  private void each(String event, Consumer<ChatEventListener> action) {
    for (ChatEventListener listener : listeners) {
      try {
        action.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("listener {} threw from {}; ignored", listener.getClass().getName(), event, e);
      }
    }
  }

  @Override
  public void onCallStart(CallContext context, ChatRequest request) {
    each("onCallStart", l -> l.onCallStart(context, request));
  }

  @Override
  public void onAttempt(CallContext context, String provider, String model, int attempt) {
    each("onAttempt", l -> l.onAttempt(context, provider, model, attempt));
  }

  @Override
  public void onRetry(CallContext context, LlmException cause, int nextAttempt, Duration delay) {
    each("onRetry", l -> l.onRetry(context, cause, nextAttempt, delay));
  }

  @Override
  public void onFallback(CallContext context, String fromGroup, String toGroup, LlmException cause) {
    each("onFallback", l -> l.onFallback(context, fromGroup, toGroup, cause));
  }

  @Override
  public void onCacheHit(CallContext context) {
    each("onCacheHit", l -> l.onCacheHit(context));
  }

  @Override
  public void onFirstChunk(CallContext context, Duration sinceStart) {
    each("onFirstChunk", l -> l.onFirstChunk(context, sinceStart));
  }

  @Override
  public void onUsage(CallContext context, Usage usage) {
    each("onUsage", l -> l.onUsage(context, usage));
  }

  @Override
  public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
    each("onCallEnd", l -> l.onCallEnd(context, response, elapsed));
  }

  @Override
  public void onCallFailed(CallContext context, LlmException error, Duration elapsed) {
    each("onCallFailed", l -> l.onCallFailed(context, error, elapsed));
  }
}

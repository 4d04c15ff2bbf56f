package dev.llmgateway;

import dev.llmgateway.error.CallCancelledException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The state of one call as it travels the pipeline: its id, the caller's {@link CallOptions}, attributes
 * interceptors share, the {@link ChatEventListener} to report to, and cancellation.
 *
 * <p>Thread-safe: a hedging interceptor may run attempts on other threads. One context per call; retries
 * and fallbacks share it. An attempt that must be cancellable on its own (one of two hedged requests, an
 * attempt under a first-token timer) runs under a {@link #fork()}.
 */
public final class CallContext {
  private final String callId;
  private final CallOptions options;
  private final ChatEventListener events;
  private final boolean streaming;
  private final Instant startedAt;
  private final ConcurrentHashMap<AttributeKey<?>, Object> attributes;
  private final boolean forked;
  private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;

  private CallContext(CallOptions options, ChatEventListener events, boolean streaming) {
    // A random id for logs, not a secret: ThreadLocalRandom avoids SecureRandom's cost on every call.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.callId = new UUID(random.nextLong(), random.nextLong()).toString();
    this.options = Objects.requireNonNull(options, "options");
    this.events = Objects.requireNonNull(events, "events");
    this.streaming = streaming;
    this.startedAt = Instant.now();
    this.attributes = new ConcurrentHashMap<>();
    this.forked = false;
  }

  private CallContext(CallContext parent) {
    this.callId = parent.callId;
    this.options = parent.options;
    this.events = parent.events;
    this.streaming = parent.streaming;
    this.startedAt = parent.startedAt;
    this.attributes = parent.attributes;
    this.forked = true;
  }

  /** A context for a new call. */
  public static CallContext create(CallOptions options, ChatEventListener events, boolean streaming) {
    return new CallContext(options, events, streaming);
  }

  /** A context with default options and no listener, for using a provider directly. */
  public static CallContext standalone(boolean streaming) {
    return new CallContext(CallOptions.DEFAULT, ChatEventListener.NONE, streaming);
  }

  /** A random id that names this call in logs. */
  public String callId() {
    return callId;
  }

  public CallOptions options() {
    return options;
  }

  /** Where interceptors report what they do (retries, fallbacks, cache hits). */
  public ChatEventListener events() {
    return events;
  }

  /** Whether the caller asked for a stream. */
  public boolean streaming() {
    return streaming;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public <T> @Nullable T get(AttributeKey<T> key) {
    Object value = attributes.get(key);
    return value == null ? null : key.cast(value);
  }

  public <T> void put(AttributeKey<T> key, T value) {
    attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
  }

  /**
   * Removes the attribute {@code key}; what an interceptor uses to undo what a side call (a classifier or
   * summary request sent through the rest of the pipeline under this context) left behind.
   */
  public <T> void remove(AttributeKey<T> key) {
    attributes.remove(Objects.requireNonNull(key, "key"));
  }

  public <T> T computeIfAbsent(AttributeKey<T> key, Function<AttributeKey<T>, T> factory) {
    Object value = attributes.computeIfAbsent(key, k -> factory.apply(key));
    return key.cast(value);
  }

  /**
   * A child context for one attempt of this call, with a cancellation of its own: cancelling the child
   * aborts only what was started under it (its HTTP call), while cancelling this context, or the context
   * it was forked from, cancels the child too. Everything else is the same call: the id, options, listener,
   * start time and attributes (shared, not copied, so attempt counters and logs see every attempt).
   *
   * <p>Run the rest of the pipeline under it with {@link Interceptor.Chain#withContext}. Used by hedging
   * (the losing attempt is cancelled, the call goes on) and by per-attempt timers.
   */
  public CallContext fork() {
    CallContext child = new CallContext(this);
    onCancel(child::cancel);
    return child;
  }

  /** Whether this context is a {@link #fork()} of another. */
  public boolean isFork() {
    return forked;
  }

  /** Whether the call, or this attempt of it when this is a {@link #fork()}, was cancelled. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** Cancels the call: runs every cancel hook once (e.g. OkHttp {@code Call.cancel}). Idempotent. */
  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    for (Runnable hook : cancelHooks) {
      hook.run();
    }
    cancelHooks.clear();
  }

  /**
   * Runs {@code hook} when the call is cancelled, or at once if it already is. Hooks must be quick and
   * must not throw.
   */
  public void onCancel(Runnable hook) {
    Objects.requireNonNull(hook, "hook");
    cancelHooks.add(hook);
    if (cancelled && cancelHooks.remove(hook)) {
      hook.run();
    }
  }

  /** Throws {@link CallCancelledException} when the call was cancelled; for long interceptor work. */
  public void throwIfCancelled() {
    if (cancelled) {
      throw new CallCancelledException("the call " + callId + " was cancelled");
    }
  }

  @Override
  public String toString() {
    return "CallContext[" + callId + (forked ? ", fork" : "") + (streaming ? ", streaming" : "")
        + (cancelled ? ", cancelled" : "") + "]";
  }
}

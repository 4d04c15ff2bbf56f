package dev.llmgateway.resilience.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The timers of one call (or one attempt): each, when it fires, cancels {@code scope}, a fork of the
 * call's context, which aborts the HTTP call under it; the failure that follows is then reported as the
 * timeout that fired. The first timer to fire wins; the others are disarmed.
 */
public final class CallTimers {

  /** The limits a timer can enforce. */
  public enum Limit {
    WHOLE_CALL("whole-call"),
    FIRST_TOKEN("first-token"),
    IDLE("idle");

    private final String label;

    Limit(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final CallContext scope;
  private final ScheduledExecutorService scheduler;
  private final Map<Limit, ScheduledFuture<?>> armed = new EnumMap<>(Limit.class);
  private final Map<Limit, Duration> durations = new EnumMap<>(Limit.class);
  private final AtomicReference<@Nullable Limit> fired = new AtomicReference<>();

  public CallTimers(CallContext scope, ScheduledExecutorService scheduler) {
    this.scope = scope;
    this.scheduler = scheduler;
  }

  /** Starts (or restarts) the timer for {@code limit}. */
  public synchronized void arm(Limit limit, Duration after) {
    if (fired.get() != null) {
      return;
    }
    ScheduledFuture<?> previous = armed.remove(limit);
    if (previous != null) {
      previous.cancel(false);
    }
    durations.put(limit, after);
    armed.put(limit, scheduler.schedule(() -> fire(limit), after.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** Stops the timer for {@code limit}, if it runs. */
  public synchronized void disarm(Limit limit) {
    ScheduledFuture<?> timer = armed.remove(limit);
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Stops every timer; call when the call ends, however it ends. */
  public synchronized void disarmAll() {
    armed.values().forEach(timer -> timer.cancel(false));
    armed.clear();
  }

  /** Whether {@code limit}'s timer is running. */
  public synchronized boolean isArmed(Limit limit) {
    return armed.containsKey(limit);
  }

  /** The limit whose timer fired, or null. */
  public @Nullable Limit fired() {
    return fired.get();
  }

  private void fire(Limit limit) {
    synchronized (this) {
      if (!armed.containsKey(limit) || !fired.compareAndSet(null, limit)) {
        return;
      }
      armed.remove(limit);
      disarmAll();
    }
    scope.cancel();
  }

  /**
   * The exception to report for {@code error}: a {@link LlmTimeoutException} naming the limit when a timer
   * fired (the whole call's is not retryable, like the caller's own deadline; the others are, since
   * another attempt may answer faster), else {@code error} itself.
   */
  public LlmException translate(LlmException error) {
    Limit limit = fired.get();
    if (limit == null || error instanceof LlmTimeoutException && error.getMessage() != null
        && error.getMessage().contains(limit.label() + " timeout")) {
      return error;
    }
    ErrorContext where = ErrorContext.of(error.provider(), error.model())
        .withRequestId(error.requestId())
        .withRetryable(limit == Limit.WHOLE_CALL ? Boolean.FALSE : null);
    String what = switch (limit) {
      case WHOLE_CALL -> "the call took longer than its whole-call timeout of ";
      case FIRST_TOKEN -> "no answer chunk arrived within the first-token timeout of ";
      case IDLE -> "the stream was silent for longer than its idle timeout of ";
    };
    return new LlmTimeoutException(what + durations.get(limit), where, error);
  }
}

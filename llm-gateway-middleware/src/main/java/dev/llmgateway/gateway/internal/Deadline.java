package dev.llmgateway.gateway.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A call's overall timeout: when it passes, the call is cancelled (aborting its HTTP request), and the
 * resulting cancellation is reported to the caller as an {@link LlmTimeoutException}.
 */
public final class Deadline {
  private static final Deadline NONE = new Deadline(null, null);
  private final @Nullable Duration timeout;
  private final @Nullable ScheduledFuture<?> timer;
  private volatile boolean expired;

  private Deadline(@Nullable Duration timeout, @Nullable ScheduledFuture<?> timer) {
    this.timeout = timeout;
    this.timer = timer;
  }

  private Deadline(Duration timeout, CallContext context, ScheduledExecutorService scheduler) {
    this.timeout = timeout;
    this.timer = scheduler.schedule(() -> {
      expired = true;
      context.cancel();
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Starts the clock for {@code context} when its options set a timeout. */
  public static Deadline start(CallContext context, ScheduledExecutorService scheduler) {
    Duration timeout = context.options().timeout();
    return timeout == null ? NONE : new Deadline(timeout, context, scheduler);
  }

  /** Stops the clock; call when the call ends, however it ends. */
  public void stop() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** The exception to report: a timeout where the cancellation was the deadline's doing. */
  public LlmException translate(LlmException error) {
    if (expired && error instanceof CallCancelledException) {
      LlmTimeoutException timeoutError = new LlmTimeoutException(
          "the call exceeded its timeout of " + timeout, ErrorContext.EMPTY.withRetryable(false), error);
      return timeoutError;
    }
    return error;
  }
}

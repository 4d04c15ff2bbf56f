package dev.llmgateway.resilience;

import dev.llmgateway.CallContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How the {@link RetryInterceptor} waits between attempts. The gateway's own waits go through it so that
 * tests can replace them with a recording that returns at once (and advances a test clock), and never
 * sleep.
 *
 * <pre>{@code
 * List<Duration> waits = new CopyOnWriteArrayList<>();
 * Sleeper recording = (duration, context) -> waits.add(duration);
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@link Duration}, or less when {@code context} is cancelled meanwhile; the caller checks
   * the cancellation afterwards.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration, CallContext context) throws InterruptedException;

  /** Really waits, on the calling thread, and wakes up early when the call is cancelled. */
  Sleeper SYSTEM = (duration, context) -> {
    if (duration.isZero() || duration.isNegative() || context.isCancelled()) {
      return;
    }
    CountDownLatch cancelled = new CountDownLatch(1);
    context.onCancel(cancelled::countDown);
    cancelled.await(duration.toNanos(), TimeUnit.NANOSECONDS);
  };
}

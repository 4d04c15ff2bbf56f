package dev.llmgateway.prompt.http.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Interrupts a server thread that has waited too long on a client. The JDK's HTTP server has no read
 * or write timeout of its own: a client that declares a body and stops sending holds a thread forever.
 * A thread blocked reading or writing a socket channel that is interrupted gets its channel closed and
 * an exception, so a {@link Watch} around the reading of a body (or the writing of an answer) frees the
 * thread when its deadline passes.
 *
 * <p>One daemon thread, started on the first watch and ending when no watch has been open for a few
 * seconds, so a watchdog needs no shutting down.
 */
public final class Watchdog {
  private static final long KEEP_ALIVE_SECONDS = 5;

  private final ScheduledThreadPoolExecutor timer;

  public Watchdog() {
    timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "llm-gateway-functions-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    timer.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts watching the current thread: it is interrupted if the returned watch is still open after
   * {@code timeout}. Close the watch from the same thread; closing clears an interrupt the watch made.
   */
  public Watch watch(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    Watch watch = new Watch(Thread.currentThread());
    watch.future = timer.schedule(watch::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    return watch;
  }

  /** One deadline on one thread; see {@link Watchdog#watch}. */
  public static final class Watch implements AutoCloseable {
    private final Thread thread;
    private boolean open = true;
    private boolean expired;
    private volatile @Nullable ScheduledFuture<?> future;

    private Watch(Thread thread) {
      this.thread = thread;
    }

    private synchronized void expire() {
      if (open) {
        expired = true;
        thread.interrupt();
      }
    }

    /** Whether the deadline passed while the watch was open (and so the thread was interrupted). */
    public synchronized boolean expired() {
      return expired;
    }

    /** Stops watching, and clears the interrupt the watch made, if any. Idempotent. */
    @Override
    public void close() {
      boolean clear;
      synchronized (this) {
        clear = open && expired;
        open = false;
      }
      ScheduledFuture<?> scheduled = future;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
      if (clear && Thread.currentThread() == thread) {
        Thread.interrupted();
      }
    }
  }
}

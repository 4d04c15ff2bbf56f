package dev.llmgateway.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when a test says so: timers become deterministic events, with no
 * waiting and no timing assertions.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final List<Task> tasks = new CopyOnWriteArrayList<>();
  private volatile boolean shutdown;

  /** A scheduled task. */
  final class Task implements ScheduledFuture<Object> {
    final Runnable action;
    final Duration delay;
    private volatile boolean cancelled;
    private volatile boolean ran;

    Task(Runnable action, Duration delay) {
      this.action = action;
      this.delay = delay;
    }

    /** Runs the task now, unless it was cancelled or ran. */
    void fire() {
      if (cancelled || ran) {
        return;
      }
      ran = true;
      action.run();
    }

    boolean pending() {
      return !cancelled && !ran;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (ran) {
        return false;
      }
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled || ran;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }

    @Override
    public String toString() {
      return "Task[" + delay + (cancelled ? ", cancelled" : "") + (ran ? ", ran" : "") + "]";
    }
  }

  /** The tasks neither cancelled nor run, oldest first. */
  List<Task> pending() {
    List<Task> pending = new ArrayList<>();
    for (Task t : tasks) {
      if (t.pending()) {
        pending.add(t);
      }
    }
    return pending;
  }

  /** The pending task scheduled with {@code delay}; fails when there is not exactly one. */
  Task pendingWithDelay(Duration delay) {
    List<Task> matching = pending().stream().filter(t -> t.delay.equals(delay)).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one pending task of " + delay + ", have " + pending());
    }
    return matching.get(0);
  }

  /** Runs every pending task. */
  void fireAll() {
    pending().forEach(Task::fire);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task task = new Task(command, Duration.ofNanos(unit.toNanos(delay)));
    tasks.add(task);
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
      TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
      TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}

package dev.llmgateway.routing.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request and token counts of one deployment in the current clock minute. A new minute starts a fresh
 * window; an update that raced the change of minute lands in the window of the minute it began in.
 */
public final class MinuteWindow {
  private final AtomicReference<Counts> current = new AtomicReference<>(new Counts(Long.MIN_VALUE));

  /** The counts of {@code minute}, started afresh when the minute changed. */
  public Counts at(long minute) {
    while (true) {
      Counts counts = current.get();
      if (counts.minute >= minute) {
        return counts; // the current minute, or a clock that stepped back: keep counting there
      }
      Counts next = new Counts(minute);
      if (current.compareAndSet(counts, next)) {
        return next;
      }
    }
  }

  /** The counts of {@code minute} if it is the current one; else zero without starting a window. */
  public long requests(long minute) {
    Counts counts = current.get();
    return counts.minute == minute ? counts.requests.sum() : 0;
  }

  public long tokens(long minute) {
    Counts counts = current.get();
    return counts.minute == minute ? Math.max(0, counts.tokens.sum()) : 0;
  }

  /** The counters of one minute. */
  public static final class Counts {
    final long minute;
    public final LongAdder requests = new LongAdder();
    public final LongAdder tokens = new LongAdder();

    Counts(long minute) {
      this.minute = minute;
    }
  }
}

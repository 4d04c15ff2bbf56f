package dev.llmgateway.testkit.internal;

import dev.llmgateway.testkit.CapturedRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Every request received: a history for {@code requests()}, a queue for {@code takeRequest()}, both capped
 * (oldest dropped first) so that a benchmark sending millions of requests does not fill the heap; and a
 * count that is never capped.
 */
public final class RequestLog {

  private final int limit;
  private final AtomicInteger count = new AtomicInteger();
  private final Deque<CapturedRequest> history = new ArrayDeque<>();
  private final BlockingQueue<CapturedRequest> untaken = new LinkedBlockingQueue<>();

  public RequestLog(int limit) {
    this.limit = limit;
  }

  public void add(CapturedRequest request) {
    count.incrementAndGet();
    synchronized (history) {
      history.addLast(request);
      if (history.size() > limit) {
        history.removeFirst();
      }
      untaken.add(request);
      if (untaken.size() > limit) {
        untaken.poll();
      }
    }
  }

  public @Nullable CapturedRequest take(Duration timeout) throws InterruptedException {
    return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public List<CapturedRequest> all() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  public int count() {
    return count.get();
  }
}

package dev.llmgateway.resilience.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.resilience.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The retries of one call through one retry interceptor: counts the attempts and the retries of each
 * error class, and decides whether, and after how long, the next attempt goes.
 */
public final class RetrySchedule {
  private final RetryPolicy policy;
  private final RandomGenerator random;
  private final Clock clock;
  private final CallContext context;
  private final Instant start;
  private final @Nullable Instant deadline;
  private final Map<Class<? extends LlmException>, Integer> retriesByClass = new HashMap<>();
  private final List<LlmException> failures = new ArrayList<>();
  private int attempts = 1;

  /**
   * @param deadline when the call must be over (the caller's timeout, a timeout policy's whole-call
   *     limit), or null for none
   */
  public RetrySchedule(RetryPolicy policy, RandomGenerator random, Clock clock, CallContext context,
      @Nullable Instant deadline) {
    this.policy = policy;
    this.random = random;
    this.clock = clock;
    this.context = context;
    this.start = clock.instant();
    this.deadline = deadline;
  }

  /** The number of the attempt under way, 1 for the first. */
  public int attempt() {
    return attempts;
  }

  /**
   * The wait before the next attempt after {@code error} ended the current one; null when there is to be
   * no next attempt: the error is not retryable, its class or the attempts are used up, the call was
   * cancelled, or the attempt would start after the total time or the deadline.
   */
  public @Nullable Duration next(LlmException error) {
    failures.add(error);
    if (context.isCancelled() || !error.isRetryable() || attempts >= policy.maxAttempts()) {
      return null;
    }
    Class<? extends LlmException> type = policy.errorClassOf(error);
    int retriesOfClass = retriesByClass.getOrDefault(type, 0);
    if (retriesOfClass >= policy.maxRetriesFor(error)) {
      return null;
    }
    Duration wait = policy.delay(attempts, error, random);
    Instant nextStart = clock.instant().plus(wait);
    if (nextStart.isAfter(start.plus(policy.maxTotalTime()))) {
      return null;
    }
    if (deadline != null && !nextStart.isBefore(deadline)) {
      return null;
    }
    retriesByClass.put(type, retriesOfClass + 1);
    attempts++;
    return wait;
  }

  /** {@code last} with every earlier failure of this call attached as suppressed, for the caller. */
  public LlmException giveUp(LlmException last) {
    for (LlmException earlier : failures) {
      if (earlier != last && !List.of(last.getSuppressed()).contains(earlier)) {
        last.addSuppressed(earlier);
      }
    }
    return last;
  }
}

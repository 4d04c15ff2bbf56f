package dev.llmgateway.resilience;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.resilience.internal.CallDeadline;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.resilience.internal.PrimedStream;
import dev.llmgateway.resilience.internal.RetrySchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Sends a failed call again, as its {@link RetryPolicy} says: only retryable errors, a count per error
 * class, the {@code retry-after} of each failed attempt (capped) or exponential backoff with full jitter,
 * at most so many attempts and so much time, and never past the caller's deadline
 * ({@link dev.llmgateway.CallOptions#timeout()}, or a {@link TimeoutPolicy}'s whole-call limit set by a
 * {@link TimeoutInterceptor} outside this one): when the next wait would end after it, the last error is
 * thrown at once. Each retry is reported with {@link dev.llmgateway.ChatEventListener#onRetry}.
 *
 * <p><b>Streams</b>: a stream is retried only before its first chunk. This interceptor pulls the stream
 * up to its first chunk that is part of the answer (a {@link dev.llmgateway.ChatChunk.Start}, which
 * carries only ids, or a usage count does not count) before returning it; a failure until then,
 * including the stream failing to open, is retried like a blocking call, invisibly to the caller. After
 * that chunk, an error reaches the caller as it is: an answer is never spliced together from two attempts.
 *
 * <p>Where it goes: inside the router (the router picks a deployment, this retries it, the router falls
 * back when the retries are used up) and outside the provider call; see {@code docs/resilience.md}.
 *
 * <pre>{@code
 * LlmGateway.builder()
 *     .modelGroup(fast)                // the gateway installs the router...
 *     .retries(RetryPolicy.DEFAULT)    // ...and this interceptor inside it
 *     .build();
 * }</pre>
 */
public final class RetryInterceptor implements Interceptor {
  /** How the interceptor waits by default: {@link Sleeper#SYSTEM}, really, waking up on cancellation. */
  public static final Sleeper DEFAULT_SLEEPER = Sleeper.SYSTEM;
  /** The clock that measures total time and deadlines by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /**
   * The jitter's source of randomness by default: {@link ThreadLocalRandom} of the calling thread
   * (thread-safe).
   */
  public static final RandomGenerator DEFAULT_RANDOM = () -> ThreadLocalRandom.current().nextLong();

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RandomGenerator random;

  /** Retries as {@code policy} says, with the default sleeper, clock and randomness. */
  public RetryInterceptor(RetryPolicy policy) {
    this(builder().policy(policy));
  }

  private RetryInterceptor(Builder b) {
    this.policy = b.policy;
    this.sleeper = b.sleeper;
    this.clock = b.clock;
    this.random = b.random;
  }

  public static Builder builder() {
    return new Builder();
  }

  public RetryPolicy policy() {
    return policy;
  }

  public Sleeper sleeper() {
    return sleeper;
  }

  public Clock clock() {
    return clock;
  }

  public RandomGenerator random() {
    return random;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    CallContext context = chain.context();
    RetrySchedule schedule = schedule(context);
    while (true) {
      try {
        return chain.proceed(request);
      } catch (LlmException e) {
        waitBeforeRetry(schedule, e, context);
      }
    }
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    CallContext context = chain.context();
    RetrySchedule schedule = schedule(context);
    while (true) {
      try {
        return PrimedStream.prime(chain.proceed(request));
      } catch (LlmException e) {
        waitBeforeRetry(schedule, e, context);
      }
    }
  }

  private RetrySchedule schedule(CallContext context) {
    return new RetrySchedule(policy, random, clock, context, CallDeadline.of(context));
  }

  /** Waits before the next attempt, or throws {@code error} when there is to be none. */
  private void waitBeforeRetry(RetrySchedule schedule, LlmException error, CallContext context) {
    Duration wait = schedule.next(error);
    if (wait == null) {
      throw schedule.giveUp(error);
    }
    context.events().onRetry(context, error, schedule.attempt(), wait);
    try {
      sleeper.sleep(wait, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CallCancelledException cancelled = new CallCancelledException(
          "the call " + context.callId() + " was interrupted while waiting to retry");
      cancelled.addSuppressed(schedule.giveUp(error));
      throw cancelled;
    }
    if (context.isCancelled()) {
      CallCancelledException cancelled = new CallCancelledException(
          "the call " + context.callId() + " was cancelled while waiting to retry");
      cancelled.addSuppressed(schedule.giveUp(error));
      throw cancelled;
    }
  }

  @Override
  public String toString() {
    return "RetryInterceptor[" + policy + "]";
  }

  /** Builds a {@link RetryInterceptor}. Not thread-safe. */
  public static final class Builder {
    private RetryPolicy policy = RetryPolicy.DEFAULT;
    private Sleeper sleeper = DEFAULT_SLEEPER;
    private Clock clock = DEFAULT_CLOCK;
    private RandomGenerator random = DEFAULT_RANDOM;

    private Builder() {}

    /** When and how often to retry. Defaults to {@link RetryPolicy#DEFAULT}. */
    public Builder policy(RetryPolicy policy) {
      this.policy = Check.nonNull(policy, "policy");
      return this;
    }

    /** How to wait between attempts. Defaults to {@link #DEFAULT_SLEEPER}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Check.nonNull(sleeper, "sleeper");
      return this;
    }

    /** The clock for the total time and the deadline. Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /** The jitter's randomness; must be thread-safe. Defaults to {@link #DEFAULT_RANDOM}. */
    public Builder random(RandomGenerator random) {
      this.random = Check.nonNull(random, "random");
      return this;
    }

    public RetryInterceptor build() {
      return new RetryInterceptor(this);
    }
  }
}

package dev.llmgateway.routing;

import dev.llmgateway.Usage;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.internal.Ewma;
import dev.llmgateway.routing.internal.MinuteWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Live counters per deployment, which strategies read: calls in flight, the moving averages of latency
 * and of time to first token, and requests and tokens in the current clock minute. The
 * {@link RouterInterceptor} updates them around every attempt; a host that routes by other means may too,
 * with {@link #begin} and the returned {@link InFlightCall}.
 *
 * <p>Thread-safe and exact under concurrency: atomics, {@link java.util.concurrent.atomic.LongAdder}s and
 * compare-and-set loops, no lost update. In memory, for this process only.
 *
 * <ul>
 *   <li>Latency is the time from the start of an attempt to its answer (to the end of a stream);
 *       time to first token, the time to a stream's first chunk that carries part of the answer. Each is
 *       an exponentially weighted moving average whose newest sample weighs {@code smoothing}.
 *   <li>Only successes are latency samples, except timeouts, which count with the time they took, so that
 *       a deployment failing fast does not look fast and one that hangs looks slow.
 *   <li>Requests and tokens are counted in the minute the attempt began: one request and the estimated
 *       input tokens at once, corrected to the reported usage (input plus output) when the attempt
 *       succeeds.
 * </ul>
 */
public final class DeploymentStats {
  /** The weight of the newest sample in the moving averages by default: {@value}. */
  public static final double DEFAULT_SMOOTHING = 0.3;

  private static final long MILLIS_PER_MINUTE = 60_000;

  private final Clock clock;
  private final double smoothing;
  private final ConcurrentHashMap<String, Counters> byId = new ConcurrentHashMap<>();

  /** Counters on the system clock, with {@link #DEFAULT_SMOOTHING}. */
  public DeploymentStats() {
    this(Clock.systemUTC(), DEFAULT_SMOOTHING);
  }

  /** Counters on {@code clock} (durations and minutes), with {@link #DEFAULT_SMOOTHING}. */
  public DeploymentStats(Clock clock) {
    this(clock, DEFAULT_SMOOTHING);
  }

  /**
   * @param clock measures durations and tells the minute
   * @param smoothing the weight of the newest sample in the moving averages, in (0, 1]; 1 keeps only the
   *     latest sample
   */
  public DeploymentStats(Clock clock, double smoothing) {
    this.clock = Check.nonNull(clock, "clock");
    Check.that(smoothing > 0 && smoothing <= 1, "smoothing must be in (0, 1], was " + smoothing);
    this.smoothing = smoothing;
  }

  public Clock clock() {
    return clock;
  }

  public double smoothing() {
    return smoothing;
  }

  /** Calls to {@code deploymentId} begun and not yet ended. */
  public int inFlight(String deploymentId) {
    Counters c = byId.get(deploymentId);
    return c == null ? 0 : c.inFlight.get();
  }

  /** The moving average of the latency of recent calls; null before the first sample. */
  public @Nullable Duration averageLatency(String deploymentId) {
    Counters c = byId.get(deploymentId);
    return c == null ? null : toDuration(c.latency.value());
  }

  /** The moving average of recent streams' time to first token; null before the first sample. */
  public @Nullable Duration averageTimeToFirstToken(String deploymentId) {
    Counters c = byId.get(deploymentId);
    return c == null ? null : toDuration(c.timeToFirstToken.value());
  }

  /** Calls begun in the current clock minute. */
  public long requestsThisMinute(String deploymentId) {
    Counters c = byId.get(deploymentId);
    return c == null ? 0 : c.window.requests(minute(clock.instant()));
  }

  /** Tokens of the calls begun in the current clock minute (estimated until their usage is known). */
  public long tokensThisMinute(String deploymentId) {
    Counters c = byId.get(deploymentId);
    return c == null ? 0 : c.window.tokens(minute(clock.instant()));
  }

  /**
   * Counts a call that begins now: one more in flight, one more request and {@code estimatedTokens} more
   * tokens this minute. End it exactly once through the returned handle.
   */
  public InFlightCall begin(String deploymentId, long estimatedTokens) {
    InFlightCall call = tryBegin(deploymentId, estimatedTokens, null);
    if (call == null) {
      throw new IllegalStateException("unreachable: no in-flight limit was given");
    }
    return call;
  }

  /**
   * As {@link #begin}, unless {@code deploymentId} already has {@code maxInFlight} calls in flight; then
   * nothing is counted and the result is null. Atomic: concurrent callers never exceed the limit.
   *
   * @param maxInFlight the limit; null for none
   */
  public @Nullable InFlightCall tryBegin(String deploymentId, long estimatedTokens,
      @Nullable Integer maxInFlight) {
    Check.nonBlank(deploymentId, "deploymentId");
    Counters c = byId.computeIfAbsent(deploymentId, id -> new Counters(smoothing));
    while (true) {
      int n = c.inFlight.get();
      if (maxInFlight != null && n >= maxInFlight) {
        return null;
      }
      if (c.inFlight.compareAndSet(n, n + 1)) {
        break;
      }
    }
    Instant now = clock.instant();
    MinuteWindow.Counts counts = c.window.at(minute(now));
    long tokens = Math.max(0, estimatedTokens);
    counts.requests.increment();
    counts.tokens.add(tokens);
    return new InFlightCall(c, counts, tokens, now);
  }

  private static long minute(Instant now) {
    return Math.floorDiv(now.toEpochMilli(), MILLIS_PER_MINUTE);
  }

  private static @Nullable Duration toDuration(double nanos) {
    return Double.isNaN(nanos) ? null : Duration.ofNanos(Math.round(nanos));
  }

  @Override
  public String toString() {
    return "DeploymentStats[" + byId.size() + " deployments]";
  }

  /**
   * One counted call. End it once with {@link #succeeded}, {@link #failed} or {@link #abandoned}; later
   * ends are ignored. Thread-safe.
   */
  public final class InFlightCall {
    private final Counters counters;
    private final MinuteWindow.Counts window;
    private final long estimatedTokens;
    private final Instant startedAt;
    private final AtomicBoolean firstToken = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    private InFlightCall(Counters counters, MinuteWindow.Counts window, long estimatedTokens,
        Instant startedAt) {
      this.counters = counters;
      this.window = window;
      this.estimatedTokens = estimatedTokens;
      this.startedAt = startedAt;
    }

    /** The time since the call began. */
    public Duration elapsed() {
      Duration elapsed = Duration.between(startedAt, clock.instant());
      return elapsed.isNegative() ? Duration.ZERO : elapsed; // a wall clock that stepped back
    }

    /** The stream's first chunk carrying part of the answer arrived: a time-to-first-token sample. */
    public void firstToken() {
      if (!ended.get() && firstToken.compareAndSet(false, true)) {
        counters.timeToFirstToken.add(elapsed().toNanos());
      }
    }

    /**
     * The call succeeded: a latency sample, and the minute's tokens corrected to {@code usage} when the
     * provider reported any.
     */
    public void succeeded(@Nullable Usage usage) {
      if (end()) {
        counters.latency.add(elapsed().toNanos());
        if (usage != null && usage.totalTokens() > 0) {
          window.tokens.add(usage.totalTokens() - estimatedTokens);
        }
      }
    }

    /** The call failed; a timeout is a latency sample (and a time-to-first-token one before any token). */
    public void failed(LlmException error) {
      if (end() && error instanceof LlmTimeoutException) {
        long nanos = elapsed().toNanos();
        counters.latency.add(nanos);
        if (!firstToken.get()) {
          counters.timeToFirstToken.add(nanos);
        }
      }
    }

    /** The caller gave the call up (closed its stream early, or an unexpected error): no sample. */
    public void abandoned() {
      end();
    }

    private boolean end() {
      if (ended.compareAndSet(false, true)) {
        counters.inFlight.decrementAndGet();
        return true;
      }
      return false;
    }
  }

  private static final class Counters {
    final AtomicInteger inFlight = new AtomicInteger();
    final Ewma latency;
    final Ewma timeToFirstToken;
    final MinuteWindow window = new MinuteWindow();

    Counters(double smoothing) {
      latency = new Ewma(smoothing);
      timeToFirstToken = new Ewma(smoothing);
    }
  }
}

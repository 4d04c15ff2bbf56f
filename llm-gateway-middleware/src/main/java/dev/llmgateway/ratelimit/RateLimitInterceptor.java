package dev.llmgateway.ratelimit;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.cost.CallEstimate;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.cost.PricedCall;
import dev.llmgateway.cost.internal.CallEnds;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.ratelimit.RateLimitStore.WindowCounts;
import dev.llmgateway.resilience.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link RateLimit}s before calls are sent. For each limit whose {@link RateLimitKey} gives the
 * call a key, one request and the call's estimated tokens are taken from that key's sliding window; when
 * a limit has no room, what was taken is given back and the call either waits (up to
 * {@link Builder#maxWait}, through the injectable {@link Sleeper}, then tries again) or is refused at once
 * with a {@link RateLimitedException}: our own refusal, {@linkplain RateLimitedException#isRetryable()
 * retryable}, its {@link RateLimitedException#retryAfter()} saying when the window will have room. A call
 * that alone needs more tokens than a limit allows per window is refused as not retryable.
 *
 * <p>When a call ends, its token count is corrected to the tokens actually used (the estimate given back
 * for a call that failed without output), in the window it was counted in.
 *
 * <p>Place it with the budgets, before the cache and the router, to limit what callers send; to limit what
 * each deployment receives, put a second one, keyed by {@link RateLimitKey#deployment()}, after the
 * router (a refusal there makes the router try another deployment).
 *
 * <p><b>Streams</b>: limited before the stream opens; corrected by {@link ChatStream#observeEnd}; chunks
 * pass unchanged.
 */
public final class RateLimitInterceptor implements Interceptor {
  /** The clock of windows by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** How long a call may wait for room by default: zero, it is refused at once. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ZERO;
  /** How waiting is done by default: {@link Sleeper#SYSTEM}. */
  public static final Sleeper DEFAULT_SLEEPER = Sleeper.SYSTEM;

  private static final Logger LOG = LoggerFactory.getLogger(RateLimitInterceptor.class);

  private final List<RateLimit> limits;
  private final RateLimitStore store;
  private final CallPricer pricer;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration maxWait;

  private RateLimitInterceptor(Builder b) {
    this.limits = List.copyOf(b.limits);
    Set<String> names = new HashSet<>();
    for (RateLimit limit : limits) {
      Check.that(names.add(limit.name()), "two rate limits are named '" + limit.name() + "'");
    }
    this.store = b.store != null ? b.store : InMemoryRateLimitStore.create();
    this.pricer = b.pricer != null ? b.pricer : CallPricer.standard();
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.maxWait = b.maxWait;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<RateLimit> limits() {
    return limits;
  }

  public RateLimitStore store() {
    return store;
  }

  public CallPricer pricer() {
    return pricer;
  }

  public Clock clock() {
    return clock;
  }

  public Sleeper sleeper() {
    return sleeper;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** What one limit took for one call. */
  private record Permit(String storeKey, long windowIndex, long windowMillis, long amount,
      boolean tokens) {}

  /** Why the first limit without room refused, and when it will have room. */
  private record Denial(RateLimit limit, boolean tokens, long needed, long allowed,
      @Nullable Duration retryAfter) {}

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    Taken taken = acquire(request, chain.context());
    if (!taken.hasTokens()) {
      return chain.proceed(request);
    }
    return CallEnds.blocking(request, chain,
        (context, response, outcome, error) -> correct(taken, context, request, response));
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    Taken taken = acquire(request, chain.context());
    if (!taken.hasTokens()) {
      return chain.proceed(request);
    }
    return CallEnds.streaming(request, chain,
        (context, response, outcome, error) -> correct(taken, context, request, response));
  }

  /** The permits of one admitted call, and the token estimate they were taken for. */
  private record Taken(List<Permit> permits, long estimatedTokens) {
    boolean hasTokens() {
      return permits.stream().anyMatch(Permit::tokens);
    }
  }

  private Taken acquire(ChatRequest request, CallContext context) {
    CallEstimate estimate = null;
    Duration waited = Duration.ZERO;
    while (true) {
      List<Permit> taken = new ArrayList<>();
      Denial denial = null;
      long now = clock.millis();
      for (RateLimit limit : limits) {
        String key = limit.key().keyFor(request, context);
        if (key == null) {
          continue;
        }
        long window = limit.window().toMillis();
        long index = Math.floorDiv(now, window);
        long elapsed = Math.floorMod(now, window);
        if (limit.requestsPerWindow() != null) {
          denial = take(limit, false, key, index, elapsed, window, 1, limit.requestsPerWindow(), taken);
          if (denial != null) {
            break;
          }
        }
        if (limit.tokensPerWindow() != null) {
          if (estimate == null) {
            estimate = pricer.estimate(request, context);
          }
          denial = take(limit, true, key, index, elapsed, window, estimate.totalTokens(),
              limit.tokensPerWindow(), taken);
          if (denial != null) {
            break;
          }
        }
      }
      if (denial == null) {
        return new Taken(List.copyOf(taken), estimate == null ? 0 : estimate.totalTokens());
      }
      giveBack(taken);
      Duration wait = denial.retryAfter();
      if (wait == null || waited.plus(wait).compareTo(maxWait) > 0) {
        throw refusal(denial);
      }
      try {
        sleeper.sleep(wait, context);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CallCancelledException("interrupted while waiting for rate limit '"
            + denial.limit().name() + "'", ErrorContext.EMPTY, e);
      }
      context.throwIfCancelled();
      waited = waited.plus(wait);
    }
  }

  private @Nullable Denial take(RateLimit limit, boolean tokens, String key, long index, long elapsed,
      long window, long amount, long allowed, List<Permit> taken) {
    String storeKey = limit.name() + (tokens ? "/tokens/" : "/requests/") + key;
    if (amount > allowed) {
      return new Denial(limit, tokens, amount, allowed, null);
    }
    WindowCounts counts = store.tryAcquire(storeKey, index, elapsed, window, amount, allowed);
    if (counts.acquired()) {
      taken.add(new Permit(storeKey, index, window, amount, tokens));
      return null;
    }
    return new Denial(limit, tokens, amount, allowed,
        retryAfter(counts, amount, allowed, elapsed, window));
  }

  /**
   * How long until the sliding count leaves room for {@code permits}, assuming no other calls: within this
   * window when the previous window's share is what is in the way, else into the next one, where this
   * window's count becomes the fading share. At least one millisecond.
   */
  static Duration retryAfter(WindowCounts counts, long permits, long limit, long elapsed, long window) {
    long waitMillis;
    if (counts.current() + permits <= limit) {
      long room = (limit - counts.current() - permits) * window;
      waitMillis = counts.previous() == 0 ? 1
          : window - Math.floorDiv(room, counts.previous()) - elapsed;
    } else {
      long room = (limit - permits) * window;
      long into = counts.current() == 0 ? 0 : window - Math.floorDiv(room, counts.current());
      waitMillis = (window - elapsed) + Math.max(0, into);
    }
    return Duration.ofMillis(Math.max(1, waitMillis));
  }

  private RateLimitedException refusal(Denial denial) {
    String what = denial.tokens() ? "tokens" : "requests";
    String allows = "rate limit '" + denial.limit().name() + "' allows " + denial.allowed() + " " + what
        + " per " + denial.limit().window().toSeconds() + " s";
    if (denial.retryAfter() == null) {
      return new RateLimitedException(allows + "; this call alone needs an estimated " + denial.needed()
          + " " + what, ErrorContext.EMPTY.withRetryable(false), null);
    }
    return new RateLimitedException(allows + " and has no room now; retry in "
        + denial.retryAfter().toMillis() + " ms",
        ErrorContext.EMPTY.withRetryAfter(denial.retryAfter()).withRetryable(true), null);
  }

  private void giveBack(List<Permit> taken) {
    for (Permit permit : taken) {
      try {
        store.adjust(permit.storeKey(), permit.windowIndex(), permit.windowMillis(), -permit.amount());
      } catch (RuntimeException e) {
        LOG.warn("could not give back {} permits of {}", permit.amount(), permit.storeKey(), e);
      }
    }
  }

  private void correct(Taken taken, CallContext context, ChatRequest request,
      @Nullable ChatResponse response) {
    PricedCall priced = CostInterceptor.attach(pricer, context, request, response);
    long delta = priced.usage().totalTokens() - taken.estimatedTokens();
    if (delta == 0) {
      return;
    }
    for (Permit permit : taken.permits()) {
      if (permit.tokens()) {
        store.adjust(permit.storeKey(), permit.windowIndex(), permit.windowMillis(), delta);
      }
    }
  }

  @Override
  public String toString() {
    return "RateLimitInterceptor[" + limits.size() + " limits, maxWait=" + maxWait + ", " + store + "]";
  }

  /** Builds a {@link RateLimitInterceptor}. Not thread-safe. */
  public static final class Builder {
    private final List<RateLimit> limits = new ArrayList<>();
    private @Nullable RateLimitStore store;
    private @Nullable CallPricer pricer;
    private Clock clock = DEFAULT_CLOCK;
    private Sleeper sleeper = DEFAULT_SLEEPER;
    private Duration maxWait = DEFAULT_MAX_WAIT;

    private Builder() {}

    /** Adds a limit; a call must fit every limit that gives it a key. Defaults to none. */
    public Builder limit(RateLimit limit) {
      limits.add(Check.nonNull(limit, "limit"));
      return this;
    }

    /** Where counts are kept. Defaults to a new {@link InMemoryRateLimitStore}: one JVM only. */
    public Builder store(RateLimitStore store) {
      this.store = Check.nonNull(store, "store");
      return this;
    }

    /** How a call's tokens are estimated and counted. Defaults to {@link CallPricer#standard()}. */
    public Builder pricer(CallPricer pricer) {
      this.pricer = Check.nonNull(pricer, "pricer");
      return this;
    }

    /** The clock of windows. Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /** How waiting is done. Defaults to {@link #DEFAULT_SLEEPER}, real waiting. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Check.nonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The longest a call waits, in total, for room before it is refused; zero to refuse at once. A call
     * is refused without waiting when the wait it would need exceeds what is left of this. Defaults to
     * {@link #DEFAULT_MAX_WAIT} (zero).
     */
    public Builder maxWait(Duration maxWait) {
      Check.that(maxWait != null && !maxWait.isNegative(), "maxWait must not be negative");
      this.maxWait = maxWait;
      return this;
    }

    public RateLimitInterceptor build() {
      return new RateLimitInterceptor(this);
    }
  }
}

package dev.llmgateway.ratelimit;

import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A limit on how many requests, and how many tokens, calls with the same {@link RateLimitKey} may use per
 * window (a minute by default).
 *
 * <pre>{@code
 * RateLimit perTenant = RateLimit.builder("tenant-rpm").key(RateLimitKey.tenant())
 *     .requestsPerMinute(60).tokensPerMinute(200_000).build();
 * }</pre>
 *
 * <p><b>Window</b>: a sliding window, approximated the usual way with two fixed windows: the count is
 * this window's plus the previous window's weighted by how much of it still overlaps the last
 * {@code window} (at 15 s into a minute, 75% of the previous minute counts). Unlike a fixed window, it
 * never lets twice the limit through around a window boundary; unlike a log of every call, it needs two
 * counters per key. It assumes the previous window's calls were spread evenly.
 *
 * <p><b>Tokens</b> are counted before the call as the request's estimated input tokens plus its
 * {@code maxTokens} (or the pricer's assumed output), and corrected to the tokens actually used when the
 * call ends.
 *
 * @param name names the limit in errors and store keys; letters, digits, {@code .-_} only
 * @param key which counter a call counts against
 * @param requestsPerWindow the most requests per window; null for no request limit
 * @param tokensPerWindow the most tokens per window; null for no token limit
 * @param window the window's length, from 1 second to 1 day
 */
public record RateLimit(String name, RateLimitKey key, @Nullable Long requestsPerWindow,
    @Nullable Long tokensPerWindow, Duration window) {

  /** The window by default: one minute. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
  /** The largest limit x window milliseconds a Redis Lua script computes exactly: 2^53 - 1. */
  public static final long MAX_LIMIT_TIMES_WINDOW_MILLIS = (1L << 53) - 1;

  public RateLimit {
    Check.nonBlank(name, "rateLimit.name");
    Check.that(name.matches("[A-Za-z0-9._-]+"),
        "rateLimit.name must be letters, digits, '.', '-' or '_', was '" + name + "'");
    Check.nonNull(key, "rate limit '" + name + "' key");
    Check.that(requestsPerWindow != null || tokensPerWindow != null,
        "rate limit '" + name + "' needs a request limit, a token limit or both");
    Check.nonNull(window, "rate limit '" + name + "' window");
    Check.that(window.compareTo(Duration.ofSeconds(1)) >= 0 && window.compareTo(Duration.ofDays(1)) <= 0,
        "rate limit '" + name + "' window must be from 1 second to 1 day, was " + window);
    checkLimit(requestsPerWindow, window, name, "requests");
    checkLimit(tokensPerWindow, window, name, "tokens");
  }

  private static void checkLimit(@Nullable Long limit, Duration window, String name, String what) {
    if (limit == null) {
      return;
    }
    Check.that(limit > 0, "rate limit '" + name + "' " + what + " must be > 0, was " + limit);
    Check.that(limit <= MAX_LIMIT_TIMES_WINDOW_MILLIS / window.toMillis(),
        "rate limit '" + name + "' " + what + " limit " + limit + " is too large for its window");
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link RateLimit}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private RateLimitKey key = RateLimitKey.global();
    private @Nullable Long requests;
    private @Nullable Long tokens;
    private Duration window = DEFAULT_WINDOW;

    private Builder(String name) {
      this.name = name;
    }

    /** Which counter a call counts against. Defaults to {@link RateLimitKey#global()}. */
    public Builder key(RateLimitKey key) {
      this.key = Check.nonNull(key, "key");
      return this;
    }

    /** The most requests per window (a minute unless {@link #window} says otherwise). Defaults to none. */
    public Builder requestsPerMinute(long requests) {
      this.requests = requests;
      return this;
    }

    /** The most tokens per window (a minute unless {@link #window} says otherwise). Defaults to none. */
    public Builder tokensPerMinute(long tokens) {
      this.tokens = tokens;
      return this;
    }

    /**
     * The window the limits count over. Defaults to {@link #DEFAULT_WINDOW} (a minute); with another
     * window, the "per minute" limits mean per that window.
     */
    public Builder window(Duration window) {
      this.window = Check.nonNull(window, "window");
      return this;
    }

    public RateLimit build() {
      return new RateLimit(name, key, requests, tokens, window);
    }
  }
}

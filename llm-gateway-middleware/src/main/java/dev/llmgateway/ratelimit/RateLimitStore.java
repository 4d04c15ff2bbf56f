package dev.llmgateway.ratelimit;

/**
 * The counters behind rate limits: per key, the count of the current fixed window and of the one before,
 * from which a sliding window is approximated (see {@link RateLimit}). {@link InMemoryRateLimitStore} is
 * the default; the {@code llm-gateway-redis} module implements the same contract so that many instances
 * share one limit.
 *
 * <p><b>Every mutating method is one atomic step</b> (a single Lua script in Redis). Windows are numbered
 * by the caller: window {@code n} covers {@code [n * windowMillis, (n + 1) * windowMillis)} of epoch
 * milliseconds, so every instance agrees as long as their clocks do. A Redis layout: the counts of window
 * {@code n} under {@code key:n}, each expiring two windows after it starts.
 *
 * <p>All arithmetic is on integers, with {@code limit * windowMillis} below 2<sup>53</sup> (checked by
 * {@link RateLimit}) so that Lua's doubles hold it exactly.
 */
public interface RateLimitStore {

  /**
   * Adds {@code permits} to window {@code windowIndex} of {@code key} if the sliding count allows it: with
   * {@code previous} the count of window {@code windowIndex - 1} and {@code current} that of
   * {@code windowIndex}, grants when
   * {@code previous * (windowMillis - elapsedMillis) + (current + permits) * windowMillis <= limit * windowMillis}.
   *
   * @param elapsedMillis how far into window {@code windowIndex} now is, from 0 to {@code windowMillis - 1}
   * @return whether the permits were added, with the two counts before adding
   */
  WindowCounts tryAcquire(String key, long windowIndex, long elapsedMillis, long windowMillis,
      long permits, long limit);

  /**
   * Adds {@code delta} (negative to give back) to window {@code windowIndex} of {@code key}, never taking
   * a count below zero; nothing when that window is already gone (older than the previous one).
   */
  void adjust(String key, long windowIndex, long windowMillis, long delta);

  /**
   * What {@link #tryAcquire} found.
   *
   * @param acquired whether the permits were added
   * @param previous the previous window's count
   * @param current the current window's count, before adding
   */
  record WindowCounts(boolean acquired, long previous, long current) {}
}

package dev.llmgateway.cache;

import dev.llmgateway.CacheInfo;
import dev.llmgateway.Usage;
import dev.llmgateway.gateway.internal.Check;
import org.jspecify.annotations.Nullable;

/**
 * What a cache did for one call, under {@link CacheInterceptor#CACHE_STATUS} in the call's
 * {@link dev.llmgateway.CallContext}: a hit, a miss, a refresh or a bypass. For a hit, {@link #hit()}
 * holds the same {@link CacheInfo} that the gateway puts on the answer ({@link
 * dev.llmgateway.ChatResponse#cache()}); outer interceptors (cost, budget, ledger, the host's own) read
 * it here, during the call, to learn that an answer cost nothing.
 *
 * @param outcome hit, miss, refresh or bypass
 * @param hit for a hit, where it came from, how old it is and what it saved; null otherwise
 */
public record CacheStatus(Outcome outcome, @Nullable CacheInfo hit) {

  /** What the cache did. */
  public enum Outcome {
    /** The answer came from the cache; no provider was called. */
    HIT,
    /** Not found; the answer came from upstream and was stored if cacheable. */
    MISS,
    /** The call asked for {@link CacheMode#REFRESH}: upstream answered and the entry was replaced. */
    REFRESH,
    /** The cache was not used: {@link CacheMode#SKIP}, or the policy does not cache this request. */
    BYPASS
  }

  /** The status of a call that missed. */
  public static final CacheStatus MISS = new CacheStatus(Outcome.MISS, null);
  /** The status of a call that refreshed its entry. */
  public static final CacheStatus REFRESHED = new CacheStatus(Outcome.REFRESH, null);
  /** The status of a call that bypassed the cache. */
  public static final CacheStatus BYPASSED = new CacheStatus(Outcome.BYPASS, null);

  public CacheStatus {
    Check.nonNull(outcome, "cacheStatus.outcome");
    Check.that((outcome == Outcome.HIT) == (hit != null), "cacheStatus.hit is set exactly for a hit");
  }

  /** The status of a hit described by {@code info}. */
  public static CacheStatus hit(CacheInfo info) {
    return new CacheStatus(Outcome.HIT, Check.nonNull(info, "info"));
  }

  /** Whether the answer came from a cache. */
  public boolean isHit() {
    return outcome == Outcome.HIT;
  }

  /** For a hit, where it came from; null otherwise. */
  public CacheInfo.@Nullable Source source() {
    return hit == null ? null : hit.source();
  }

  /** For a hit, the tokens the original call consumed and this one did not; {@link Usage#ZERO} otherwise. */
  public Usage savedUsage() {
    return hit == null ? Usage.ZERO : hit.savedUsage();
  }
}

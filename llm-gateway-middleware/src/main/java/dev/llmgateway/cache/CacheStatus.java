package dev.llmgateway.cache;

import dev.llmgateway.Usage;
import dev.llmgateway.cache.internal.Check;
import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a cache did for one call, under {@link CacheInterceptor#CACHE_STATUS} in the call's
 * {@link dev.llmgateway.CallContext}: whether the answer came from a cache, how old it was, and what the
 * hit saved. Until {@code ChatResponse} carries cache information, this is how a caller or an outer
 * interceptor (cost, budget, ledger) learns that an answer cost nothing.
 *
 * @param outcome hit, miss, refresh or bypass
 * @param source for a hit, where it came from; null otherwise
 * @param age for a hit, how old the answer is (zero for a coalesced call); zero otherwise
 * @param savedUsage for a hit, the tokens the original call consumed and this one did not;
 *     {@link Usage#ZERO} otherwise
 * @param savedCost for a hit, what those tokens cost at the catalog's prices of the model that answered;
 *     null when not a hit or no price is known
 * @param currency the currency of {@code savedCost}; null when it is null
 * @param similarity for a semantic hit, the cosine similarity of the questions; null otherwise
 */
public record CacheStatus(Outcome outcome, @Nullable Source source, Duration age, Usage savedUsage,
    @Nullable BigDecimal savedCost, @Nullable String currency, @Nullable Double similarity) {

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

  /** Where a hit came from. */
  public enum Source {
    /** An exact-cache entry. */
    EXACT,
    /** An identical call in flight at the same time; its answer was shared. */
    COALESCED,
    /** A semantic-cache entry for a similar question. */
    SEMANTIC
  }

  /** The status of a call that missed. */
  public static final CacheStatus MISS = new CacheStatus(Outcome.MISS, null, Duration.ZERO, Usage.ZERO,
      null, null, null);
  /** The status of a call that refreshed its entry. */
  public static final CacheStatus REFRESHED = new CacheStatus(Outcome.REFRESH, null, Duration.ZERO,
      Usage.ZERO, null, null, null);
  /** The status of a call that bypassed the cache. */
  public static final CacheStatus BYPASSED = new CacheStatus(Outcome.BYPASS, null, Duration.ZERO,
      Usage.ZERO, null, null, null);

  public CacheStatus {
    Check.nonNull(outcome, "cacheStatus.outcome");
    Check.nonNull(age, "cacheStatus.age");
    Check.nonNull(savedUsage, "cacheStatus.savedUsage");
    Check.that((outcome == Outcome.HIT) == (source != null), "cacheStatus.source is set exactly for a hit");
    Check.that((savedCost == null) == (currency == null), "cacheStatus.currency goes with savedCost");
  }

  /** Whether the answer came from a cache. */
  public boolean hit() {
    return outcome == Outcome.HIT;
  }
}

package dev.llmgateway;

import dev.llmgateway.internal.Require;
import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How an answer came from a response cache rather than from a provider: where it was found, how old it
 * is, and what the hit saved. It sits on {@link ChatResponse#cache()} so that a caller of
 * {@link ChatClient#chat} sees a cached answer for what it is (a stale answer is still an answer, but
 * the caller may want to say so), and so that logs and dashboards can count hits and savings without
 * reaching into the call's attributes.
 *
 * @param source where the answer was found
 * @param age how long ago the provider produced it; zero for a {@linkplain Source#COALESCED coalesced}
 *     answer, which was produced during this very call
 * @param savedUsage the tokens the original call consumed and this one did not
 * @param savedCost what those tokens would have cost at the catalog's prices of the model that answered;
 *     null when no price is known
 * @param currency the ISO 4217 currency of {@code savedCost}; null exactly when it is null
 * @param similarity for a {@linkplain Source#SEMANTIC semantic} hit, the cosine similarity of the stored
 *     question to this one, in [-1, 1]; null otherwise
 */
public record CacheInfo(Source source, Duration age, Usage savedUsage, @Nullable BigDecimal savedCost,
    @Nullable String currency, @Nullable Double similarity) {

  /** Where a cached answer was found. */
  public enum Source {
    /** An exact-cache entry: a stored answer to the same canonical request. */
    EXACT,
    /** An identical call in flight at the same time, whose answer was shared instead of asking twice. */
    COALESCED,
    /** A semantic-cache entry: a stored answer to a similar question. */
    SEMANTIC
  }

  public CacheInfo {
    Require.nonNull(source, "cacheInfo.source");
    Require.nonNull(age, "cacheInfo.age");
    Require.check(!age.isNegative(), "cacheInfo.age must not be negative, was " + age);
    Require.nonNull(savedUsage, "cacheInfo.savedUsage");
    Require.check((savedCost == null) == (currency == null),
        "cacheInfo.currency must be set exactly when savedCost is");
    Require.check(savedCost == null || savedCost.signum() >= 0,
        "cacheInfo.savedCost must not be negative, was " + savedCost);
    Require.check((similarity != null) == (source == Source.SEMANTIC),
        "cacheInfo.similarity must be set exactly for a semantic hit");
    Require.check(similarity == null || (similarity >= -1.0001 && similarity <= 1.0001),
        "cacheInfo.similarity must be in [-1, 1], was " + similarity);
  }
}

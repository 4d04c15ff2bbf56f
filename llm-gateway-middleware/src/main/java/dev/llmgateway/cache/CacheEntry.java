package dev.llmgateway.cache;

import dev.llmgateway.ChatResponse;
import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import java.time.Instant;

/**
 * One cached answer: the complete response as the provider gave it (its usage is what a hit saves), the
 * model group that answered it, and when it was stored. A stream is stored as its assembled response
 * (the one {@link dev.llmgateway.ChatResponseAccumulator} builds), so one entry serves blocking and
 * streaming hits alike; see {@link CacheInterceptor} for how a hit is replayed as a stream.
 *
 * <p>{@link CacheEntryCodec} turns an entry into bytes and back, for stores outside the JVM.
 *
 * @param response the answer, with the usage the original call consumed
 * @param group the model group that answered (after any fallback), or the request's model when no
 *     router was involved
 * @param storedAt when the entry was stored, for its age
 */
public record CacheEntry(ChatResponse response, String group, Instant storedAt) {

  public CacheEntry {
    Check.nonNull(response, "cacheEntry.response");
    Check.nonBlank(group, "cacheEntry.group");
    Check.nonNull(storedAt, "cacheEntry.storedAt");
  }

  /** How old the entry is at {@code now}; zero when the clock went backwards. */
  public Duration ageAt(Instant now) {
    Duration age = Duration.between(storedAt, now);
    return age.isNegative() ? Duration.ZERO : age;
  }
}

package dev.llmgateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.llmgateway.gateway.internal.Check;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RateLimitStore} in this JVM's memory (a Caffeine cache): limits are shared by every gateway in
 * the process, not across processes (use the Redis store for that). Each operation replaces the key's
 * immutable counts inside {@link ConcurrentMap#compute}, so it is atomic and no update is lost. A key is
 * dropped two windows after it was last touched (its counts no longer matter then), and at most
 * {@link #DEFAULT_MAX_KEYS} keys are held by default: past that, the least recently used are dropped,
 * which forgets their counts (the limit then lets their next calls through).
 */
public final class InMemoryRateLimitStore implements RateLimitStore {
  /** The most keys held by default: {@value}. */
  public static final long DEFAULT_MAX_KEYS = 1_000_000;

  /** A key's two windows; immutable. */
  private record Counts(long index, long current, long previous, long windowMillis) {
    /** These counts as seen from window {@code now}: rolled over when time has moved on. */
    Counts at(long now) {
      if (now == index) {
        return this;
      }
      if (now == index + 1) {
        return new Counts(now, 0, current, windowMillis);
      }
      return new Counts(now, 0, 0, windowMillis);
    }
  }

  private final Cache<String, Counts> cache;
  private final ConcurrentMap<String, Counts> counts;

  private InMemoryRateLimitStore(long maxKeys) {
    Check.that(maxKeys > 0, "maxKeys must be > 0, was " + maxKeys);
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .expireAfter(new Expiry<String, Counts>() {
          @Override
          public long expireAfterCreate(String key, Counts value, long currentTime) {
            return TimeUnit.MILLISECONDS.toNanos(2 * value.windowMillis());
          }

          @Override
          public long expireAfterUpdate(String key, Counts value, long currentTime,
              long currentDuration) {
            return TimeUnit.MILLISECONDS.toNanos(2 * value.windowMillis());
          }

          @Override
          public long expireAfterRead(String key, Counts value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
    this.counts = cache.asMap();
  }

  /** A store holding at most {@value #DEFAULT_MAX_KEYS} keys. */
  public static InMemoryRateLimitStore create() {
    return new InMemoryRateLimitStore(DEFAULT_MAX_KEYS);
  }

  /** A store holding at most {@code maxKeys} keys. */
  public static InMemoryRateLimitStore withMaxKeys(long maxKeys) {
    return new InMemoryRateLimitStore(maxKeys);
  }

  @Override
  public WindowCounts tryAcquire(String key, long windowIndex, long elapsedMillis, long windowMillis,
      long permits, long limit) {
    Check.that(permits >= 0, "permits must be >= 0, was " + permits);
    WindowCounts[] result = new WindowCounts[1];
    counts.compute(key, (k, existing) -> {
      Counts now = existing == null ? new Counts(windowIndex, 0, 0, windowMillis)
          : existing.index() > windowIndex ? existing : existing.at(windowIndex);
      long previousWeight = windowMillis - elapsedMillis;
      boolean fits = now.previous() * previousWeight + (now.current() + permits) * windowMillis
          <= limit * windowMillis;
      result[0] = new WindowCounts(fits, now.previous(), now.current());
      return fits ? new Counts(now.index(), now.current() + permits, now.previous(), windowMillis) : now;
    });
    return result[0];
  }

  @Override
  public void adjust(String key, long windowIndex, long windowMillis, long delta) {
    counts.computeIfPresent(key, (k, existing) -> {
      if (existing.index() == windowIndex) {
        return new Counts(existing.index(), Math.max(0, existing.current() + delta), existing.previous(),
            existing.windowMillis());
      }
      if (existing.index() == windowIndex + 1) {
        return new Counts(existing.index(), existing.current(), Math.max(0, existing.previous() + delta),
            existing.windowMillis());
      }
      return existing;
    });
  }

  /** The counts held for {@code key}, for tests and diagnostics; null when none. */
  @Nullable WindowCounts peek(String key) {
    Counts c = counts.get(key);
    return c == null ? null : new WindowCounts(false, c.previous(), c.current());
  }

  @Override
  public String toString() {
    return "InMemoryRateLimitStore[" + cache.estimatedSize() + " keys]";
  }
}

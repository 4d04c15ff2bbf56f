package dev.llmgateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link CacheStore}: a Caffeine cache in this JVM, bounded in entries (least recently and
 * frequently used evicted first) and expiring each entry after the TTL it was stored with. Entries are
 * kept as objects, so a hit costs a hash lookup and no decoding.
 *
 * <pre>{@code
 * CacheStore store = InMemoryCacheStore.builder().maximumSize(50_000).build();
 * }</pre>
 *
 * <p>Thread-safe. Eviction maintenance runs on the calling thread (Caffeine's executor is
 * {@code Runnable::run}), so expiry is deterministic under an injected {@link Ticker}.
 */
public final class InMemoryCacheStore implements CacheStore {
  /** How many entries are kept by default: 10,000. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;
  /** The time source of expiry by default: {@link Ticker#systemTicker()}. */
  public static final Ticker DEFAULT_TICKER = Ticker.systemTicker();

  private record Timed(CacheEntry entry, long ttlNanos) {}

  private final Cache<String, Timed> cache;
  private final long maximumSize;
  private final Ticker ticker;

  private InMemoryCacheStore(Builder b) {
    this.maximumSize = b.maximumSize;
    this.ticker = b.ticker;
    this.cache = Caffeine.newBuilder()
        .maximumSize(b.maximumSize)
        .ticker(b.ticker)
        .executor(Runnable::run)
        .expireAfter(new Expiry<String, Timed>() {
          @Override
          public long expireAfterCreate(String key, Timed value, long currentTime) {
            return value.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(String key, Timed value, long currentTime,
              long currentDuration) {
            return value.ttlNanos();
          }

          @Override
          public long expireAfterRead(String key, Timed value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
  }

  /** A store with the defaults. */
  public static InMemoryCacheStore create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public @Nullable CacheEntry get(String key) {
    Timed timed = cache.getIfPresent(key);
    return timed == null ? null : timed.entry();
  }

  @Override
  public void put(String key, CacheEntry entry, Duration ttl) {
    Check.nonNull(key, "key");
    Check.nonNull(entry, "entry");
    Check.positive(ttl, "ttl");
    cache.put(key, new Timed(entry, saturatedNanos(ttl)));
  }

  @Override
  public void remove(String key) {
    cache.invalidate(key);
  }

  /** How many entries are live (approximately, as Caffeine counts). */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Removes every entry. */
  public void clear() {
    cache.invalidateAll();
  }

  public long maximumSize() {
    return maximumSize;
  }

  public Ticker ticker() {
    return ticker;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return "InMemoryCacheStore[maximumSize=" + maximumSize + "]";
  }

  /** Builds an {@link InMemoryCacheStore}. Not thread-safe. */
  public static final class Builder {
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private Ticker ticker = DEFAULT_TICKER;

    private Builder() {}

    /** The most entries kept; at least 1. Defaults to {@link #DEFAULT_MAXIMUM_SIZE}. */
    public Builder maximumSize(long maximumSize) {
      Check.that(maximumSize >= 1, "maximumSize must be at least 1, was " + maximumSize);
      this.maximumSize = maximumSize;
      return this;
    }

    /** The time source of expiry (inject a fake one in tests). Defaults to {@link #DEFAULT_TICKER}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Check.nonNull(ticker, "ticker");
      return this;
    }

    public InMemoryCacheStore build() {
      return new InMemoryCacheStore(this);
    }
  }
}

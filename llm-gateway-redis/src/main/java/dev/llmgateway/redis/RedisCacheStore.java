package dev.llmgateway.redis;

import dev.llmgateway.cache.CacheEntry;
import dev.llmgateway.cache.CacheEntryCodec;
import dev.llmgateway.cache.CacheEntryFormatException;
import dev.llmgateway.cache.CacheStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CacheStore} on a Redis server, so that every instance of an application sharing the server
 * shares one response cache: an answer one instance paid for is a hit on all of them. Each entry is one
 * Redis string, the {@link CacheEntryCodec} bytes of the entry, written with
 * {@code SET key bytes PX ttl} (Redis expires it) and read with {@code GET}; {@link #remove} is
 * {@code DEL}. The Redis key is the interceptor's key (which is already namespaced:
 * {@code llmgw:cache:v1:<hash>} by default, see {@code CacheInterceptor.DEFAULT_KEY_PREFIX}), behind an
 * optional {@linkplain Builder#keyPrefix prefix} of the store's own, empty by default.
 *
 * <p>The connection must carry string keys and byte-array values ({@link #CODEC}); open one with
 * {@link #connect(RedisClient)}.
 *
 * <p><b>Failures</b>: a cache is an optimisation, so a failing Redis never fails a call. While the
 * server cannot be reached (or answers with an error), {@code get} is a miss and {@code put} and
 * {@code remove} do nothing; a warning is logged once when the outage starts and once when Redis answers
 * again, never per call. Bytes that are not an entry this version can read (another format, a foreign
 * value under the key) are a miss too. Use {@link RedisOptions#clientOptions()} on the client so that an
 * outage is noticed at once rather than after Lettuce's 60-second default timeout.
 *
 * <p>The store does not own the connection: close it (and its client) yourself. Thread-safe.
 */
public final class RedisCacheStore implements CacheStore {
  /**
   * The store's own prefix by default: none ({@value}), because the interceptor's keys already carry the
   * {@code llmgw:cache:v1:} namespace. Set one to keep two applications' caches apart on one server.
   */
  public static final String DEFAULT_KEY_PREFIX = "";
  /** String keys (UTF-8) and raw byte values: what the store's connection must use. */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final Logger LOG = LoggerFactory.getLogger(RedisCacheStore.class);

  private final RedisCommands<String, byte[]> redis;
  private final String keyPrefix;
  private final AtomicBoolean down = new AtomicBoolean();

  private RedisCacheStore(Builder b) {
    this.redis = b.connection.sync();
    this.keyPrefix = b.keyPrefix;
  }

  /** A builder over {@code connection} (opened with {@link #CODEC}), which the caller keeps owning. */
  public static Builder builder(StatefulRedisConnection<String, byte[]> connection) {
    return new Builder(connection);
  }

  /** A store with the defaults over {@code connection} (opened with {@link #CODEC}). */
  public static RedisCacheStore create(StatefulRedisConnection<String, byte[]> connection) {
    return builder(connection).build();
  }

  /** A new connection of {@code client} with the store's {@link #CODEC}; the caller closes it. */
  public static StatefulRedisConnection<String, byte[]> connect(RedisClient client) {
    return Objects.requireNonNull(client, "client").connect(CODEC);
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  /** Whether the last operation found Redis failing (and none has reached it since). */
  public boolean isDegraded() {
    return down.get();
  }

  @Override
  public @Nullable CacheEntry get(String key) {
    String redisKey = redisKey(key);
    byte[] bytes = call("get", () -> redis.get(redisKey), null);
    if (bytes == null) {
      return null;
    }
    try {
      return CacheEntryCodec.decode(bytes);
    } catch (CacheEntryFormatException e) {
      LOG.debug("Redis cache store: unreadable entry under {}, a miss: {}", redisKey, e.getMessage());
      return null;
    }
  }

  @Override
  public void put(String key, CacheEntry entry, Duration ttl) {
    String redisKey = redisKey(key);
    Objects.requireNonNull(entry, "entry");
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    byte[] bytes = CacheEntryCodec.encode(entry);
    SetArgs px = SetArgs.Builder.px(millis(ttl));
    call("put", () -> redis.set(redisKey, bytes, px), null);
  }

  @Override
  public void remove(String key) {
    String redisKey = redisKey(key);
    call("remove", () -> redis.del(redisKey), null);
  }

  /** The Redis key of cache key {@code key}. */
  String redisKey(String key) {
    return keyPrefix + Objects.requireNonNull(key, "key");
  }

  /** {@code ttl} in whole milliseconds, at least 1 (PX 0 is an error), saturated for huge TTLs. */
  static long millis(Duration ttl) {
    try {
      return Math.max(1, ttl.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2; // Redis rejects an expiry overflowing its clock; centuries anyway
    }
  }

  private <T> @Nullable T call(String operation, Supplier<T> command, @Nullable T onFailure) {
    T result;
    try {
      result = command.get();
    } catch (RuntimeException e) { // connection refused or lost, timeouts, error replies
      if (down.compareAndSet(false, true)) {
        LOG.warn("Redis cache store: {} failed ({}); caching is off (misses, nothing stored) until "
            + "Redis answers again", operation, e.toString());
      }
      return onFailure;
    }
    if (down.get() && down.compareAndSet(true, false)) {
      LOG.warn("Redis cache store: Redis answers again; caching is back on");
    }
    return result;
  }

  @Override
  public String toString() {
    return "RedisCacheStore[prefix=" + keyPrefix + (isDegraded() ? ", degraded" : "") + "]";
  }

  /** Settings of a {@link RedisCacheStore}. Not thread-safe. */
  public static final class Builder {
    private final StatefulRedisConnection<String, byte[]> connection;
    private String keyPrefix = DEFAULT_KEY_PREFIX;

    private Builder(StatefulRedisConnection<String, byte[]> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * Put before every key, e.g. to keep two gateways' caches apart on one server. Defaults to
     * {@link #DEFAULT_KEY_PREFIX}, none: the interceptor's keys are namespaced already.
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    public RedisCacheStore build() {
      return new RedisCacheStore(this);
    }
  }
}

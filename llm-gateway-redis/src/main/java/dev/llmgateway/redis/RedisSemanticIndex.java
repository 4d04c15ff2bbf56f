package dev.llmgateway.redis;

import dev.llmgateway.cache.CacheEntry;
import dev.llmgateway.cache.CacheEntryCodec;
import dev.llmgateway.cache.CacheEntryFormatException;
import dev.llmgateway.cache.InMemorySemanticIndex;
import dev.llmgateway.cache.SemanticCacheInterceptor;
import dev.llmgateway.cache.SemanticIndex;
import dev.llmgateway.redis.internal.LuaScript;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SemanticIndex} on a Redis server, so that every instance of an application sharing the server
 * shares one semantic cache: a question one instance paid to answer is a hit on all of them when another
 * instance is asked a paraphrase of it. Give it to {@link SemanticCacheInterceptor.Builder#index}.
 *
 * <p><b>No server-side vector search.</b> The index does not use Redis's own vector search
 * ({@code FT.SEARCH ... KNN} of the RediSearch module, or the vector sets of Redis 8): Redis 7.x without
 * modules, such as Debian's {@code redis-server} package, has none, and the index must work there. It
 * scans instead: a {@link #nearest} lookup is one Lua script that compares the query with every live vector
 * of the scope <em>on the server</em> and returns only the best match (its entry bytes and similarity), so
 * one lookup sends one vector to Redis and at most one entry back, however many the scope holds. The cost
 * is server time: a lookup is O(n * d) for the n entries of the scope and d dimensions, and Redis runs
 * nothing else while a script runs. Redis's Lua interpreter is slow at it, roughly 0.1 µs per entry and
 * dimension (measured on a loaded 2-core machine): about 8 ms for the default 200 entries of a
 * 384-dimension model, 30 ms of 1,536 dimensions, and 150 ms for 1,000 entries of 1,536, during which
 * every other client of the server (budgets and rate limits included) waits. That is why each scope is
 * bounded ({@link #DEFAULT_MAXIMUM_ENTRIES_PER_SCOPE} by default, the oldest evicted first); raise the
 * bound only with a server of its own or small vectors. Scopes are narrow (one tenant, one model group, one
 * system prompt and set of parameters: see {@link SemanticCacheInterceptor}), so most hold far fewer. An
 * {@link #add} scans its scope too, to delete expired entries and the same question stored before. Where
 * a server with vector search is at hand, an index of your own on it scales further; this one does not
 * use it.
 *
 * <p><b>Keys</b>, for a scope {@code S} and the prefix {@code P} ({@link #DEFAULT_KEY_PREFIX} by default):
 * {@code P{S}:vectors} a hash of entry id to the entry's expiry, storage time and unit vector (little-endian
 * float32s; vectors are normalized when added, so cosine similarity is a dot product), and
 * {@code P{S}:answers} a hash of entry id to the entry's {@link CacheEntryCodec} bytes. The {@code {S}} hash
 * tag keeps a scope in one Redis Cluster slot. Each entry expires after its own TTL, judged by the server's
 * clock ({@code TIME}), so every instance agrees; expired entries never match and are deleted by the next
 * script that meets them, and both keys expire ({@code PEXPIREAT}) with the scope's last entry. Vectors of
 * another dimension (a changed embedding model) never match.
 *
 * <p>The connection must carry string keys and byte-array values ({@link RedisCacheStore#CODEC}); open one
 * with {@link #connect(RedisClient)}.
 *
 * <p><b>Failures</b>: a cache is an optimisation, so a failing Redis never fails a call. While the server
 * cannot be reached (or answers with an error), a lookup is a miss and an add does nothing; a warning is
 * logged once when the outage starts and once when Redis answers again, never per call. Use
 * {@link RedisOptions#clientOptions()} on the client so that an outage is noticed at once rather than after
 * Lettuce's 60-second default timeout.
 *
 * <p>Unlike {@link InMemorySemanticIndex}, which bounds its entries over all scopes, this index bounds each
 * scope; the total is bounded by Redis's {@code maxmemory} and the entries' TTL. The index does not own the
 * connection: close it (and its client) yourself. Thread-safe.
 */
public final class RedisSemanticIndex implements SemanticIndex {
  /** The prefix of every key: {@value}. */
  public static final String DEFAULT_KEY_PREFIX = "llmgw:semantic:";
  /**
   * How many entries each scope keeps by default, the oldest evicted first: {@value}, so that a lookup
   * holds the server for milliseconds, not tenths of a second (see the class comment).
   */
  public static final int DEFAULT_MAXIMUM_ENTRIES_PER_SCOPE = 200;
  /** Vectors at least this similar are the same question: adding one replaces the other. */
  static final double SAME_QUESTION = 0.999_999;
  /** The longest TTL kept, about 100 years: longer ones are cut to it (the server's clock must not overflow). */
  static final long MAXIMUM_TTL_MILLIS = Duration.ofDays(36_500).toMillis();

  private static final Logger LOG = LoggerFactory.getLogger(RedisSemanticIndex.class);
  private static final LuaScript NEAREST = LuaScript.load("semantic-common", "semantic-nearest");
  private static final LuaScript ADD = LuaScript.load("semantic-common", "semantic-add");

  private final RedisCommands<String, byte[]> redis;
  private final String keyPrefix;
  private final int maximumEntriesPerScope;
  private final AtomicBoolean down = new AtomicBoolean();

  private RedisSemanticIndex(Builder b) {
    this.redis = b.connection.sync();
    this.keyPrefix = b.keyPrefix;
    this.maximumEntriesPerScope = b.maximumEntriesPerScope;
  }

  /**
   * A builder over {@code connection} (opened with {@link RedisCacheStore#CODEC}), which the caller keeps
   * owning.
   */
  public static Builder builder(StatefulRedisConnection<String, byte[]> connection) {
    return new Builder(connection);
  }

  /** An index with the defaults over {@code connection} (opened with {@link RedisCacheStore#CODEC}). */
  public static RedisSemanticIndex create(StatefulRedisConnection<String, byte[]> connection) {
    return builder(connection).build();
  }

  /** A new connection of {@code client} with the index's codec, {@link RedisCacheStore#CODEC}; the caller closes it. */
  public static StatefulRedisConnection<String, byte[]> connect(RedisClient client) {
    return RedisCacheStore.connect(client);
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public int maximumEntriesPerScope() {
    return maximumEntriesPerScope;
  }

  /** Whether the last operation found Redis failing (and none has reached it since). */
  public boolean isDegraded() {
    return down.get();
  }

  @Override
  public @Nullable Match nearest(String scope, float[] vector, double minSimilarity) {
    String[] keys = keys(scope);
    Objects.requireNonNull(vector, "vector");
    if (vector.length == 0 || Double.isNaN(minSimilarity) || !finite(vector)) {
      return null;
    }
    byte[] unit = packUnit(vector);
    // beyond [-1, 1] every or no vector matches; keep the number one Lua reads back exactly
    byte[] least = ascii(Double.toString(Math.max(-2, Math.min(2, minSimilarity))));
    List<Object> reply = call("nearest", () -> NEAREST.run(redis, ScriptOutputType.MULTI, keys, unit, least));
    if (reply == null || reply.size() != 2) {
      return null;
    }
    CacheEntry entry;
    try {
      entry = CacheEntryCodec.decode((byte[]) reply.get(0));
    } catch (CacheEntryFormatException e) {
      LOG.debug("Redis semantic index: unreadable entry in {}, a miss: {}", keys[1], e.getMessage());
      return null;
    }
    double similarity = Double.parseDouble(new String((byte[]) reply.get(1), StandardCharsets.US_ASCII));
    return new Match(entry, Math.max(-1, Math.min(1, similarity)));
  }

  @Override
  public void add(String scope, float[] vector, CacheEntry entry, Duration ttl) {
    String[] keys = keys(scope);
    Objects.requireNonNull(entry, "entry");
    if (vector == null || vector.length == 0) {
      throw new IllegalArgumentException("vector must not be empty");
    }
    if (!finite(vector)) {
      throw new IllegalArgumentException("vector must hold finite numbers only");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    byte[] unit = packUnit(vector);
    byte[] bytes = CacheEntryCodec.encode(entry);
    byte[] id = ascii(Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    call("add", () -> ADD.run(redis, ScriptOutputType.INTEGER, keys, unit, id, bytes,
        ascii(Long.toString(millis(ttl))), ascii(Integer.toString(maximumEntriesPerScope)),
        ascii(Double.toString(SAME_QUESTION))));
  }

  /** The two Redis keys of {@code scope}, in the scripts' order: its vectors and its answers. */
  String[] keys(String scope) {
    String base = keyPrefix + "{" + Objects.requireNonNull(scope, "scope") + "}";
    return new String[] {base + ":vectors", base + ":answers"};
  }

  /** {@code ttl} in whole milliseconds, at least 1, at most {@link #MAXIMUM_TTL_MILLIS}. */
  static long millis(Duration ttl) {
    try {
      return Math.max(1, Math.min(MAXIMUM_TTL_MILLIS, ttl.toMillis()));
    } catch (ArithmeticException e) {
      return MAXIMUM_TTL_MILLIS;
    }
  }

  /** {@code vector} scaled to length 1 (all zeros stay zeros), as little-endian float32s. */
  static byte[] packUnit(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += (double) v * v;
    }
    norm = Math.sqrt(norm);
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(norm == 0 ? 0f : (float) (v / norm));
    }
    return bytes.array();
  }

  private static boolean finite(float[] vector) {
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private <T> @Nullable T call(String operation, Supplier<T> command) {
    T result;
    try {
      result = command.get();
    } catch (RuntimeException e) { // connection refused or lost, timeouts, error replies
      if (down.compareAndSet(false, true)) {
        LOG.warn("Redis semantic index: {} failed ({}); semantic caching is off (misses, nothing stored) "
            + "until Redis answers again", operation, e.toString());
      }
      return null;
    }
    if (down.get() && down.compareAndSet(true, false)) {
      LOG.warn("Redis semantic index: Redis answers again; semantic caching is back on");
    }
    return result;
  }

  @Override
  public String toString() {
    return "RedisSemanticIndex[prefix=" + keyPrefix + ", maximumEntriesPerScope=" + maximumEntriesPerScope
        + (isDegraded() ? ", degraded" : "") + "]";
  }

  /** Settings of a {@link RedisSemanticIndex}. Not thread-safe. */
  public static final class Builder {
    private final StatefulRedisConnection<String, byte[]> connection;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private int maximumEntriesPerScope = DEFAULT_MAXIMUM_ENTRIES_PER_SCOPE;

    private Builder(StatefulRedisConnection<String, byte[]> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * Put before every key, e.g. to keep two gateways' indexes apart on one server. Defaults to
     * {@link #DEFAULT_KEY_PREFIX} ({@code llmgw:semantic:}).
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * The most entries one scope keeps, at least 1; adding beyond it evicts the scope's oldest entry. A
     * lookup's time on the server grows with it. Defaults to {@link #DEFAULT_MAXIMUM_ENTRIES_PER_SCOPE}.
     */
    public Builder maximumEntriesPerScope(int maximumEntriesPerScope) {
      if (maximumEntriesPerScope < 1) {
        throw new IllegalArgumentException(
            "maximumEntriesPerScope must be at least 1, was " + maximumEntriesPerScope);
      }
      this.maximumEntriesPerScope = maximumEntriesPerScope;
      return this;
    }

    public RedisSemanticIndex build() {
      return new RedisSemanticIndex(this);
    }
  }
}

package dev.llmgateway.cache;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link CacheInterceptor} keeps its entries, keyed by an opaque string (a prefix and the hex
 * SHA-256 of the canonical request; tenant and model group are inside the hash). Small on purpose: the
 * default is {@link InMemoryCacheStore} (Caffeine, per JVM); {@code llm-gateway-redis} implements it over
 * {@code GET}/{@code SET key value PX ttl} with {@link CacheEntryCodec} for many instances.
 *
 * <p>Implementations are thread-safe. A store may fail (a Redis outage): the interceptor then treats a
 * failed {@code get} as a miss and a failed {@code put} as not stored, logs it, and the call goes on.
 */
public interface CacheStore {

  /** The live entry under {@code key}, or null when there is none or it expired. */
  @Nullable CacheEntry get(String key);

  /** Stores {@code entry} under {@code key} for {@code ttl} (positive), replacing any entry there. */
  void put(String key, CacheEntry entry, Duration ttl);

  /** Removes the entry under {@code key}, if any. */
  void remove(String key);
}

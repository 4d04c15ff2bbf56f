package dev.llmgateway.cache;

import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link SemanticCacheInterceptor} keeps question vectors and their answers, partitioned by scope
 * (a hash of tenant, model group and everything in the request but the question, so only requests that
 * differ in their last user message are ever compared). The default is {@link InMemorySemanticIndex};
 * {@code llm-gateway-redis} implements it for many instances ({@code RedisSemanticIndex}), keeping each
 * scope's entries in Redis hashes (bounded per scope) and scanning them on the server in a Lua script, so
 * a lookup returns only the best match. It does not use a server's own vector search (Redis Stack /
 * Redis 8), which Redis 7 without modules lacks.
 *
 * <p>Implementations are thread-safe. Failures are treated as misses and logged by the interceptor.
 */
public interface SemanticIndex {

  /**
   * The entry of {@code scope} whose vector is most similar (cosine) to {@code vector}, if that
   * similarity is at least {@code minSimilarity}; null otherwise. Expired entries never match, nor do
   * vectors of another dimension (a changed embedding model).
   */
  @Nullable Match nearest(String scope, float[] vector, double minSimilarity);

  /** Adds {@code entry} under {@code vector} in {@code scope} for {@code ttl} (positive). */
  void add(String scope, float[] vector, CacheEntry entry, Duration ttl);

  /**
   * A stored entry and how similar its question is to the one looked up.
   *
   * @param entry the stored answer
   * @param similarity cosine similarity in [-1, 1]
   */
  record Match(CacheEntry entry, double similarity) {
    public Match {
      Check.nonNull(entry, "match.entry");
      Check.that(similarity >= -1.0001 && similarity <= 1.0001, "similarity must be in [-1, 1], was "
          + similarity);
    }
  }
}

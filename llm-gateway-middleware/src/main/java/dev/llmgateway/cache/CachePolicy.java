package dev.llmgateway.cache;

import dev.llmgateway.ChatRequest;

/**
 * Which requests may be answered from, and stored in, a cache. Only requests that should get the same
 * answer every time belong there: caching a request sampled at temperature 1 would freeze one random
 * draw. {@link #DETERMINISTIC} is the default of both caches.
 *
 * <p>Whatever the policy, only complete, successful answers are stored (see {@link CacheInterceptor}).
 */
@FunctionalInterface
public interface CachePolicy {

  /** Requests with temperature 0 or a seed. */
  CachePolicy DETERMINISTIC = request -> {
    Double temperature = request.temperature();
    return request.seed() != null || (temperature != null && temperature == 0);
  };

  /** Every request, whatever its sampling parameters. */
  CachePolicy ALWAYS = request -> true;

  /** Whether {@code request} may be served from and stored in the cache. */
  boolean isCacheable(ChatRequest request);
}

package dev.llmgateway.cache;

/**
 * How one call uses the cache, set per call with {@link CacheInterceptor#MODE} in
 * {@link dev.llmgateway.CallOptions}. Both caches honour it. Defaults to {@link #USE}.
 */
public enum CacheMode {
  /** Read the cache; on a miss, call upstream and store a cacheable answer. */
  USE,
  /** Bypass the read, call upstream, and store a cacheable answer (replacing the old entry). */
  REFRESH,
  /** Neither read nor write: the call goes upstream as if there were no cache. */
  SKIP
}

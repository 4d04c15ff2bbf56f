package dev.llmgateway.redis;

import dev.llmgateway.ratelimit.InMemoryRateLimitStore;
import dev.llmgateway.ratelimit.RateLimitStore;

/** The contract on the in-memory store: the reference the Redis store must match. */
class InMemoryRateLimitStoreContractTest extends RateLimitStoreContract {
  private final InMemoryRateLimitStore store = InMemoryRateLimitStore.create();

  @Override
  RateLimitStore store() {
    return store;
  }
}

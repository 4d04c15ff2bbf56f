package dev.llmgateway.redis;

import dev.llmgateway.cache.InMemorySemanticIndex;
import dev.llmgateway.cache.SemanticIndex;

/** The contract on the middleware's in-memory index, so that both indexes keep one behaviour. */
class InMemorySemanticIndexContractTest extends SemanticIndexContract {
  private final InMemorySemanticIndex index = InMemorySemanticIndex.create();

  @Override
  SemanticIndex index() {
    return index;
  }
}

package dev.llmgateway.spi;

import dev.llmgateway.CallContext;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;

/**
 * The embeddings side of a provider adapter. A {@link ChatProvider} that also implements this interface
 * serves embeddings under the same name, keys and HTTP client; the gateway checks with
 * {@code instanceof}. The rules of {@link ChatProvider} apply: no retries of its own, honour
 * cancellation, map every failure to the exception hierarchy, never leak a key.
 */
public interface EmbeddingProvider {

  /** The provider name, as in {@link ChatProvider#name()}. */
  String name();

  /** Embeds the inputs; the request's model is already the provider's own model name. */
  EmbeddingResponse embed(EmbeddingRequest request, CallContext context);
}

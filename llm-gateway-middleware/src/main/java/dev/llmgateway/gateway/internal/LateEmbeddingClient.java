package dev.llmgateway.gateway.internal;

import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway as an {@link EmbeddingClient} for interceptors built before it exists: the semantic cache
 * is part of the gateway's pipeline yet embeds through the gateway, so the builder hands it this
 * stand-in and {@linkplain #bind binds} it once the gateway is constructed, before any call can run.
 */
public final class LateEmbeddingClient implements EmbeddingClient {
  private final AtomicReference<EmbeddingClient> target = new AtomicReference<>();

  /** Sends every later embedding request to {@code client}; may be called once. */
  public void bind(EmbeddingClient client) {
    if (!target.compareAndSet(null, client)) {
      throw new IllegalStateException("the embedding client is bound already");
    }
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request) {
    EmbeddingClient client = target.get();
    if (client == null) {
      throw new IllegalStateException("the gateway embeds only once it is built");
    }
    return client.embed(request);
  }

  @Override
  public String toString() {
    return "LateEmbeddingClient[" + (target.get() == null ? "unbound" : "bound") + "]";
  }
}

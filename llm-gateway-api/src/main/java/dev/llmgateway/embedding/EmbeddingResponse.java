package dev.llmgateway.embedding;

import dev.llmgateway.Usage;
import dev.llmgateway.internal.Require;
import java.util.List;

/**
 * The vectors for an {@link EmbeddingRequest}, one per input, in input order.
 *
 * @param model the model that answered, as the provider names it
 * @param provider the provider that answered
 * @param embeddings one per input, sorted by {@link Embedding#index()}
 * @param usage input tokens consumed ({@link Usage#ZERO} when the provider reports none)
 */
public record EmbeddingResponse(String model, String provider, List<Embedding> embeddings, Usage usage) {

  public EmbeddingResponse {
    Require.nonNull(model, "model");
    Require.nonNull(provider, "provider");
    embeddings = Require.copyOf(embeddings, "embeddings");
    for (int i = 0; i < embeddings.size(); i++) {
      Require.check(embeddings.get(i).index() == i,
          "embeddings must be in input order: position " + i + " holds index " + embeddings.get(i).index());
    }
    Require.nonNull(usage, "usage");
  }

  /** The vector of the first input. */
  public float[] first() {
    return embeddings.get(0).vector();
  }
}

package dev.llmgateway.embedding;

/**
 * Turns texts into vectors through any provider that supports embeddings. Thread-safe; the gateway
 * implements it alongside {@code ChatClient}, with the same model strings, aliases and credentials.
 */
@FunctionalInterface
public interface EmbeddingClient {

  /**
   * Embeds every input of the request with its model.
   *
   * @throws dev.llmgateway.error.UnsupportedFeatureException when the model's provider has no embeddings
   */
  EmbeddingResponse embed(EmbeddingRequest request);

  /** Embeds one text. */
  default float[] embed(String model, String input) {
    return embed(EmbeddingRequest.of(model, input)).first();
  }
}

package dev.llmgateway.embedding;

import dev.llmgateway.RequestMetadata;
import dev.llmgateway.internal.Require;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Texts to embed with one model.
 *
 * @param model an alias or {@code provider/model}, e.g. {@code openai/text-embedding-3-small}
 * @param inputs the texts, in order; never empty, no blank text
 * @param dimensions the vector size to ask for, where the model can shorten its vectors; null for the
 *     model's own size
 * @param metadata who the call is for (only {@code user} is ever sent to a provider)
 */
public record EmbeddingRequest(String model, List<String> inputs, @Nullable Integer dimensions,
    RequestMetadata metadata) {

  public EmbeddingRequest {
    Require.nonBlank(model, "model");
    inputs = Require.copyOf(inputs, "inputs");
    Require.check(!inputs.isEmpty(), "inputs must not be empty");
    for (int i = 0; i < inputs.size(); i++) {
      Require.check(!inputs.get(i).isBlank(), "inputs[" + i + "] must not be blank");
    }
    Require.check(dimensions == null || dimensions > 0, "dimensions must be at least 1, was " + dimensions);
    Require.nonNull(metadata, "metadata");
  }

  /** One text, the model's own dimensions, no metadata. */
  public static EmbeddingRequest of(String model, String input) {
    return new EmbeddingRequest(model, List.of(input), null, RequestMetadata.EMPTY);
  }

  /** Several texts, the model's own dimensions, no metadata. */
  public static EmbeddingRequest of(String model, List<String> inputs) {
    return new EmbeddingRequest(model, inputs, null, RequestMetadata.EMPTY);
  }

  /** This request with another model, e.g. after an alias was resolved. */
  public EmbeddingRequest withModel(String newModel) {
    return new EmbeddingRequest(newModel, inputs, dimensions, metadata);
  }
}

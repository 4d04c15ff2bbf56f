package dev.llmgateway.embedding;

import dev.llmgateway.internal.Require;
import java.util.Arrays;

/**
 * One input's vector.
 *
 * @param index the position of the input it embeds in {@link EmbeddingRequest#inputs()}
 * @param vector the vector; the array is copied in and out, so an {@code Embedding} stays immutable
 */
public record Embedding(int index, float[] vector) {

  public Embedding {
    Require.check(index >= 0, "index must not be negative");
    Require.nonNull(vector, "vector");
    Require.check(vector.length > 0, "vector must not be empty");
    vector = vector.clone();
  }

  @Override
  public float[] vector() {
    return vector.clone();
  }

  /** The number of dimensions. */
  public int dimensions() {
    return vector.length;
  }

  /**
   * Cosine similarity with {@code other}, in [-1, 1].
   *
   * @throws dev.llmgateway.error.InvalidRequestException when the dimensions differ
   */
  public double cosineSimilarity(Embedding other) {
    Require.check(other.vector.length == vector.length,
        "cannot compare vectors of " + vector.length + " and " + other.vector.length + " dimensions");
    double dot = 0;
    double a = 0;
    double b = 0;
    for (int i = 0; i < vector.length; i++) {
      dot += (double) vector[i] * other.vector[i];
      a += (double) vector[i] * vector[i];
      b += (double) other.vector[i] * other.vector[i];
    }
    return a == 0 || b == 0 ? 0 : dot / (Math.sqrt(a) * Math.sqrt(b));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e && e.index == index && Arrays.equals(e.vector, vector);
  }

  @Override
  public int hashCode() {
    return 31 * index + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "Embedding[index=" + index + ", dimensions=" + vector.length + "]";
  }
}

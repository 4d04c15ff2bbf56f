package dev.llmgateway.provider.internal.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads embedding vectors out of provider bodies, the same way for every adapter, and refuses answers
 * that do not fit the request with a {@link MalformedResponseException} (never a silently short or
 * reordered result).
 *
 * <p>A vector is a JSON array of numbers; a JSON string is read as base64 of little-endian float32 values,
 * which is what OpenAI-style servers send for {@code encoding_format: "base64"} (a compatible server may
 * send it even when floats were asked for). Messages name the provider and the position, never the
 * input text.
 */
public final class EmbeddingVectors {
  private EmbeddingVectors() {}

  /**
   * The vector in {@code node}.
   *
   * @param provider names the provider in the message
   * @param where which vector, for the message, e.g. {@code data[2].embedding}
   * @throws MalformedResponseException when {@code node} is missing, empty, or not numbers
   */
  public static float[] read(@Nullable JsonNode node, String provider, String where,
      ErrorContext context) {
    if (node == null || node.isNull()) {
      throw malformed(provider, "without " + where, context);
    }
    if (node.isTextual()) {
      return fromBase64(node.asText(), provider, where, context);
    }
    if (!node.isArray() || node.isEmpty()) {
      throw malformed(provider, "with " + where + " that is not a non-empty array of numbers", context);
    }
    float[] vector = new float[node.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode value = node.get(i);
      if (!value.isNumber()) {
        throw malformed(provider, "with a value in " + where + " that is not a number", context);
      }
      vector[i] = value.floatValue();
    }
    return vector;
  }

  /**
   * Checks that the provider answered one embedding per input.
   *
   * @throws MalformedResponseException when it answered more or fewer
   */
  public static void requireCount(List<Embedding> embeddings, int inputs, String provider,
      ErrorContext context) {
    if (embeddings.size() != inputs) {
      throw malformed(provider, "with " + embeddings.size() + " embeddings for " + inputs + " inputs",
          context);
    }
  }

  private static float[] fromBase64(String text, String provider, String where, ErrorContext context) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw malformed(provider, "with " + where + " that is neither numbers nor base64", context);
    }
    if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
      throw malformed(provider, "with " + where + " of " + bytes.length
          + " base64 bytes, not a whole number of float32 values", context);
    }
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  private static MalformedResponseException malformed(String provider, String what,
      ErrorContext context) {
    return new MalformedResponseException(provider + " answered an embeddings request " + what,
        context, null);
  }
}

package dev.llmgateway.provider.gemini.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.Usage;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.provider.internal.embedding.EmbeddingVectors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's batch embeddings wire ({@code POST .../models/{model}:batchEmbedContents}).
 *
 * <p>Request: {@code {"requests": [{"model": "models/{model}", "content": {"parts": [{"text"}]},
 * "outputDimensionality"?}]}}, one entry per input, in order; every entry names the same model as the URL,
 * as the API requires. No task type or title is sent (the model's default applies).
 *
 * <p>Answer: {@code {"embeddings": [{"values": [...]}]}}, in request order, one per input (anything else
 * is a {@link MalformedResponseException}). The Developer API reports no token usage for embeddings, so
 * usage is {@link Usage#ZERO} unless a {@code usageMetadata.promptTokenCount} is present. A 2xx body
 * holding an error object is mapped by {@link GeminiErrorDecoder#fromStreamError}.
 */
public final class GeminiEmbeddingsCodec {
  private final ObjectMapper mapper;
  private final GeminiErrorDecoder errors;

  public GeminiEmbeddingsCodec(ObjectMapper mapper, GeminiErrorDecoder errors) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /**
   * The request body as a JSON tree.
   *
   * @param resourceName the model's resource name, e.g. {@code models/gemini-embedding-001}
   */
  public ObjectNode encode(EmbeddingRequest request, String resourceName) {
    ObjectNode body = mapper.createObjectNode();
    ArrayNode requests = body.putArray("requests");
    for (String input : request.inputs()) {
      ObjectNode entry = requests.addObject();
      entry.put("model", resourceName);
      entry.putObject("content").putArray("parts").addObject().put("text", input);
      if (request.dimensions() != null) {
        entry.put("outputDimensionality", request.dimensions());
      }
    }
    return body;
  }

  /** The request body as bytes. */
  public byte[] encodeBytes(EmbeddingRequest request, String resourceName) {
    try {
      return mapper.writeValueAsBytes(encode(request, resourceName));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("could not write the embeddings request as JSON: "
          + e.getOriginalMessage());
    }
  }

  /**
   * Decodes a successful response body.
   *
   * @param request the request answered: its model is reported (Gemini's answer names none), and its
   *     input count is what the answer must match
   * @throws MalformedResponseException when the body is not the documented shape
   */
  public EmbeddingResponse decode(byte[] body, ErrorContext context, String provider,
      EmbeddingRequest request) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw new MalformedResponseException(provider + " answered an embeddings request with a body"
          + " that is not valid JSON (" + body.length + " bytes)", context, e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedResponseException(provider + " answered an embeddings request with a body"
          + " that is not a JSON object", context, null);
    }
    if (GeminiErrorDecoder.isError(root)) {
      throw errors.fromStreamError(root, context);
    }
    JsonNode items = root.get("embeddings");
    if (items == null || !items.isArray()) {
      throw new MalformedResponseException(provider + " answered an embeddings request without an"
          + " embeddings array", context, null);
    }
    List<Embedding> embeddings = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      embeddings.add(new Embedding(i, EmbeddingVectors.read(items.get(i).get("values"), provider,
          "embeddings[" + i + "].values", context)));
    }
    EmbeddingVectors.requireCount(embeddings, request.inputs().size(), provider, context);
    return new EmbeddingResponse(request.model(), provider, embeddings, usage(root.get("usageMetadata")));
  }

  private static Usage usage(@Nullable JsonNode usage) {
    JsonNode prompt = usage == null ? null : usage.get("promptTokenCount");
    long tokens = prompt != null && prompt.canConvertToLong() ? Math.max(0, prompt.asLong()) : 0;
    return tokens == 0 ? Usage.ZERO : Usage.of(tokens, 0);
  }
}

package dev.llmgateway.provider.ollama.internal;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Ollama's embeddings wire ({@code POST {baseUrl}/api/embed}).
 *
 * <p>Request: {@code {"model", "input": [...], "dimensions"?, "keep_alive"?}}; the input is always an
 * array. {@code truncate} is not sent, so the server's default applies: an input longer than the model's
 * context is cut silently.
 *
 * <p>Answer: {@code {"model", "embeddings": [[...], ...], "prompt_eval_count"}}, vectors in input order,
 * one per input (anything else is a {@link MalformedResponseException}); {@code prompt_eval_count}
 * becomes {@link Usage#inputTokens()}. A 2xx body {@code {"error": "..."}} is mapped by
 * {@link OllamaErrorDecoder#fromErrorBody}.
 */
public final class OllamaEmbeddingsCodec {
  private final ObjectMapper mapper;
  private final @Nullable Duration keepAlive;
  private final OllamaErrorDecoder errors;

  /**
   * @param keepAlive the {@code keep_alive} to send; null to leave it to the server
   */
  public OllamaEmbeddingsCodec(ObjectMapper mapper, @Nullable Duration keepAlive,
      OllamaErrorDecoder errors) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.keepAlive = keepAlive;
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /** The request body as a JSON tree. */
  public ObjectNode encode(EmbeddingRequest request) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", request.model());
    ArrayNode input = body.putArray("input");
    request.inputs().forEach(input::add);
    if (request.dimensions() != null) {
      body.put("dimensions", request.dimensions());
    }
    if (keepAlive != null) {
      body.put("keep_alive", OllamaRequestEncoder.goDuration(keepAlive));
    }
    return body;
  }

  /** The request body as bytes. */
  public byte[] encodeBytes(EmbeddingRequest request) {
    try {
      return mapper.writeValueAsBytes(encode(request));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("could not write the embeddings request as JSON: "
          + e.getOriginalMessage());
    }
  }

  /**
   * Decodes a successful response body.
   *
   * @param request the request answered: its model is used when the body names none, and its input
   *     count is what the answer must match
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
    if (OllamaErrorDecoder.errorMessage(root) != null) {
      throw errors.fromErrorBody(root, context);
    }
    JsonNode vectors = root.get("embeddings");
    if (vectors == null || !vectors.isArray()) {
      throw new MalformedResponseException(provider + " answered an embeddings request without an"
          + " embeddings array", context, null);
    }
    List<Embedding> embeddings = new ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      embeddings.add(new Embedding(i, EmbeddingVectors.read(vectors.get(i), provider,
          "embeddings[" + i + "]", context)));
    }
    EmbeddingVectors.requireCount(embeddings, request.inputs().size(), provider, context);
    JsonNode model = root.get("model");
    String answered = model != null && model.isTextual() && !model.asText().isEmpty()
        ? model.asText() : request.model();
    JsonNode count = root.get("prompt_eval_count");
    long tokens = count != null && count.canConvertToLong() ? Math.max(0, count.asLong()) : 0;
    return new EmbeddingResponse(answered, provider, embeddings,
        tokens == 0 ? Usage.ZERO : Usage.of(tokens, 0));
  }
}

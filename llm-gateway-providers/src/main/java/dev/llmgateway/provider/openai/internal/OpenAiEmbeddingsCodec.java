package dev.llmgateway.provider.openai.internal;

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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The embeddings wire of every Chat Completions-shaped API ({@code POST .../embeddings}).
 *
 * <p>Request: {@code {"model", "input": [...], "encoding_format": "float"}}, plus the vector size in the
 * dialect's {@link ChatCompletionsDialect#embeddingDimensionsField()} when the request asks for one
 * ({@code dimensions} for OpenAI and Azure, {@code output_dimension} for Mistral), and the metadata's
 * {@code user} where the dialect sends it. The input is always an array, even for one text, so that the
 * answer's indexes always refer to it.
 *
 * <p>Answer: {@code {"data": [{"index", "embedding": [...]}], "model", "usage": {"prompt_tokens",
 * "total_tokens"}}}. Items are put in input order by {@code index} (an item without one keeps its
 * position); the answer must hold exactly one vector per input, each index once, else it is a
 * {@link MalformedResponseException}. {@code prompt_tokens} (or {@code total_tokens} when it is missing)
 * becomes {@link Usage#inputTokens()}. A 2xx body holding an error object is mapped by
 * {@link OpenAiErrorDecoder#fromSuccessBody}.
 */
public final class OpenAiEmbeddingsCodec {
  private final ObjectMapper mapper;
  private final ChatCompletionsDialect dialect;
  private final OpenAiErrorDecoder errors;

  public OpenAiEmbeddingsCodec(ObjectMapper mapper, ChatCompletionsDialect dialect,
      OpenAiErrorDecoder errors) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /** The request body as a JSON tree. */
  public ObjectNode encode(EmbeddingRequest request) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", request.model());
    ArrayNode input = body.putArray("input");
    request.inputs().forEach(input::add);
    if (request.dimensions() != null) {
      body.put(dialect.embeddingDimensionsField(), request.dimensions());
    }
    body.put("encoding_format", "float");
    String user = request.metadata().user();
    if (user != null && dialect.sendsUser()) {
      body.put("user", user);
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
   * @param provider the provider name to report
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
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      if (OpenAiErrorDecoder.isError(root)) {
        throw errors.fromSuccessBody(root, context);
      }
      throw new MalformedResponseException(provider + " answered an embeddings request without a"
          + " data array", context, null);
    }
    int inputs = request.inputs().size();
    List<Embedding> embeddings = new ArrayList<>(data.size());
    boolean[] seen = new boolean[Math.max(inputs, data.size())];
    for (int position = 0; position < data.size(); position++) {
      JsonNode item = data.get(position);
      JsonNode indexNode = item.get("index");
      int index = indexNode != null && indexNode.canConvertToInt() ? indexNode.asInt() : position;
      if (index < 0 || index >= seen.length || seen[index]) {
        throw new MalformedResponseException(provider + " answered an embeddings request with index "
            + index + " at data[" + position + "], out of range or repeated for " + inputs
            + " inputs", context, null);
      }
      seen[index] = true;
      float[] vector = EmbeddingVectors.read(item.get("embedding"), provider,
          "data[" + position + "].embedding", context);
      embeddings.add(new Embedding(index, vector));
    }
    EmbeddingVectors.requireCount(embeddings, inputs, provider, context);
    embeddings.sort(Comparator.comparingInt(Embedding::index));
    String model = text(root.get("model"));
    return new EmbeddingResponse(model != null ? model : request.model(), provider, embeddings,
        usage(root.get("usage")));
  }

  private static Usage usage(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.ZERO;
    }
    JsonNode prompt = usage.get("prompt_tokens");
    if (prompt == null || !prompt.canConvertToLong()) {
      prompt = usage.get("total_tokens");
    }
    long tokens = prompt != null && prompt.canConvertToLong() ? Math.max(0, prompt.asLong()) : 0;
    return tokens == 0 ? Usage.ZERO : Usage.of(tokens, 0);
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    String s = node.asText();
    return s.isEmpty() ? null : s;
  }
}

package dev.llmgateway.provider.openai.internal;

import java.util.Objects;

/**
 * How one Chat Completions-shaped API spells the request body where it departs from OpenAI's, read by
 * {@link OpenAiRequestEncoder}. {@link #OPENAI} is OpenAI's own spelling; the compatible APIs derive theirs
 * with the {@code with...} methods (Mistral: {@code random_seed}, {@code tool_choice: "any"}, no
 * {@code stream_options}, no {@code user} and no message {@code name}, since it rejects unknown fields;
 * in embeddings requests, {@code output_dimension} for the vector size).
 *
 * @param maxTokensField the field for the output-token limit: {@code max_completion_tokens} or
 *     {@code max_tokens}
 * @param includeStreamUsage whether streams send {@code stream_options.include_usage}
 * @param seedField the field for the sampling seed: {@code seed} or {@code random_seed}
 * @param requiredToolChoice the {@code tool_choice} value meaning "call at least one tool":
 *     {@code required} or {@code any}
 * @param sendsUser whether the metadata's user goes into {@code user}
 * @param sendsMessageNames whether a message's participant name goes into {@code name}
 * @param sendsToolResultNames whether a tool message carries the function's {@code name}
 * @param embeddingDimensionsField the embeddings request field for the vector size: {@code dimensions}
 *     (OpenAI) or {@code output_dimension} (Mistral)
 */
public record ChatCompletionsDialect(String maxTokensField, boolean includeStreamUsage,
    String seedField, String requiredToolChoice, boolean sendsUser, boolean sendsMessageNames,
    boolean sendsToolResultNames, String embeddingDimensionsField) {

  /** OpenAI's spelling. */
  public static final ChatCompletionsDialect OPENAI = new ChatCompletionsDialect(
      "max_completion_tokens", true, "seed", "required", true, true, false, "dimensions");

  public ChatCompletionsDialect {
    requireField(maxTokensField, "maxTokensField");
    requireField(seedField, "seedField");
    requireField(requiredToolChoice, "requiredToolChoice");
    requireField(embeddingDimensionsField, "embeddingDimensionsField");
  }

  public ChatCompletionsDialect withMaxTokensField(String field) {
    return new ChatCompletionsDialect(field, includeStreamUsage, seedField, requiredToolChoice,
        sendsUser, sendsMessageNames, sendsToolResultNames, embeddingDimensionsField);
  }

  public ChatCompletionsDialect withIncludeStreamUsage(boolean include) {
    return new ChatCompletionsDialect(maxTokensField, include, seedField, requiredToolChoice,
        sendsUser, sendsMessageNames, sendsToolResultNames, embeddingDimensionsField);
  }

  public ChatCompletionsDialect withSeedField(String field) {
    return new ChatCompletionsDialect(maxTokensField, includeStreamUsage, field, requiredToolChoice,
        sendsUser, sendsMessageNames, sendsToolResultNames, embeddingDimensionsField);
  }

  public ChatCompletionsDialect withRequiredToolChoice(String value) {
    return new ChatCompletionsDialect(maxTokensField, includeStreamUsage, seedField, value,
        sendsUser, sendsMessageNames, sendsToolResultNames, embeddingDimensionsField);
  }

  /** This dialect with the three name-ish fields switched as given. */
  public ChatCompletionsDialect withNames(boolean user, boolean messageNames, boolean toolResultNames) {
    return new ChatCompletionsDialect(maxTokensField, includeStreamUsage, seedField,
        requiredToolChoice, user, messageNames, toolResultNames, embeddingDimensionsField);
  }

  public ChatCompletionsDialect withEmbeddingDimensionsField(String field) {
    return new ChatCompletionsDialect(maxTokensField, includeStreamUsage, seedField, requiredToolChoice,
        sendsUser, sendsMessageNames, sendsToolResultNames, field);
  }

  private static void requireField(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}

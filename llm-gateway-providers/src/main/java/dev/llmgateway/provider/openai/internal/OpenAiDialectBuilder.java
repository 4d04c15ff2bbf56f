package dev.llmgateway.provider.openai.internal;

import dev.llmgateway.ChatRequest;

/**
 * The builder settings of the providers that speak OpenAI's own dialect and let the caller choose the
 * output-token field and whether streams ask for usage: OpenAI with its compatible presets, and Azure
 * OpenAI. (Mistral fixes both, since it rejects {@code stream_options}.) Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class OpenAiDialectBuilder<B extends OpenAiDialectBuilder<B>>
    extends ChatCompletionsBuilder<B> {
  private boolean includeStreamUsage;
  private String maxTokensField;

  /**
   * @param defaultProviderName the provider's {@code DEFAULT_PROVIDER_NAME}
   * @param defaultIncludeStreamUsage the provider's {@code DEFAULT_INCLUDE_STREAM_USAGE}
   * @param defaultMaxTokensField the provider's {@code DEFAULT_MAX_TOKENS_FIELD}
   */
  protected OpenAiDialectBuilder(String defaultProviderName, boolean defaultIncludeStreamUsage,
      String defaultMaxTokensField) {
    super(defaultProviderName);
    this.includeStreamUsage = defaultIncludeStreamUsage;
    this.maxTokensField = requireNonBlank(defaultMaxTokensField, "maxTokensField");
  }

  /**
   * Whether streams send {@code stream_options.include_usage} so that the last chunk reports usage.
   * Turn it off for servers that reject the field. Defaults to the provider's
   * {@code DEFAULT_INCLUDE_STREAM_USAGE}.
   */
  public B includeStreamUsage(boolean includeStreamUsage) {
    this.includeStreamUsage = includeStreamUsage;
    return self();
  }

  /**
   * The request field for {@link ChatRequest#maxTokens()}: OpenAI wants {@code max_completion_tokens}
   * (reasoning models reject {@code max_tokens}); vLLM, llama.cpp, older Azure API versions and most
   * compatible servers want {@code max_tokens}. Defaults to the provider's
   * {@code DEFAULT_MAX_TOKENS_FIELD}.
   */
  public B maxTokensField(String maxTokensField) {
    this.maxTokensField = requireNonBlank(maxTokensField, "maxTokensField");
    return self();
  }

  /** OpenAI's dialect with this builder's output-token field and stream-usage setting. */
  protected final ChatCompletionsDialect dialect() {
    return ChatCompletionsDialect.OPENAI.withMaxTokensField(maxTokensField)
        .withIncludeStreamUsage(includeStreamUsage);
  }
}

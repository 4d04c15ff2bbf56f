package dev.llmgateway.provider.mistral;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.openai.internal.ChatCompletionsBuilder;
import dev.llmgateway.provider.openai.internal.ChatCompletionsClient;
import dev.llmgateway.provider.openai.internal.ChatCompletionsConfig;
import dev.llmgateway.provider.openai.internal.ChatCompletionsDialect;
import dev.llmgateway.provider.openai.internal.ChatCompletionsProvider;
import dev.llmgateway.provider.openai.internal.ProviderSettingsReader;
import java.util.List;
import java.util.Map;

/**
 * A {@link dev.llmgateway.spi.ChatProvider} for Mistral's Chat Completions API
 * ({@code POST {baseUrl}/chat/completions}, {@code Authorization: Bearer}). Build one with
 * {@link #builder()}.
 *
 * <p>The wire is OpenAI's with Mistral's spelling, and Mistral rejects fields it does not know with HTTP
 * 422, so the request differs: the seed goes in {@code random_seed}, "call some tool" is
 * {@code tool_choice: "any"}, the limit is {@code max_tokens}, no {@code stream_options} is sent (usage
 * comes on the last chunk anyway), nor {@code user} or message names; a tool message carries the function
 * name. Tool-call ids (nine characters) are sent back exactly as received. In answers, a streamed tool call
 * arrives whole and without an index, which {@link dev.llmgateway.ChatResponseAccumulator} handles;
 * {@code model_length} finishes as {@link dev.llmgateway.FinishReason#LENGTH} and {@code error} as
 * {@link dev.llmgateway.FinishReason#ERROR}. Errors {@code {"object":"error","message","type","param","code"}}
 * and 422 validation reports are {@link dev.llmgateway.error.InvalidRequestException}s naming the offending
 * fields (never their values); "too large for model with N maximum context length" is a
 * {@link dev.llmgateway.error.ContextLengthExceededException}.
 *
 * <p>Also an {@link dev.llmgateway.spi.EmbeddingProvider}: {@code POST {baseUrl}/embeddings} with a model
 * such as {@code mistral-embed} (1024 dimensions, fixed) or {@code codestral-embed} (which can shorten its
 * vectors: the request's dimensions go in {@code output_dimension}); no {@code user} is sent.
 *
 * <p>Thread-safe. Several API keys are used in turn, one per call. Never retries.
 */
public final class MistralChatProvider extends ChatCompletionsProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "mistral";
  /** Mistral's API base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.mistral.ai/v1";

  /** How Mistral spells a Chat Completions request. */
  static final ChatCompletionsDialect DIALECT = ChatCompletionsDialect.OPENAI
      .withMaxTokensField("max_tokens")
      .withIncludeStreamUsage(false)
      .withSeedField("random_seed")
      .withRequiredToolChoice("any")
      .withNames(false, false, true)
      .withEmbeddingDimensionsField("output_dimension");

  /** Mistral guarantees no request-id header; these are logged when present. */
  static final List<String> REQUEST_ID_HEADERS = List.of("x-request-id", "request-id");

  private final String baseUrl;

  private MistralChatProvider(ChatCompletionsClient client, String baseUrl, int apiKeyCount) {
    super(client, apiKeyCount);
    this.baseUrl = ProviderSettingsReader.stripTrailingSlashes(baseUrl);
  }

  /** A builder with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The API base URL, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public String toString() {
    return "MistralChatProvider[name=" + name() + ", baseUrl=" + baseUrl + ", apiKeys="
        + apiKeyCount() + ", headers=" + headerNames() + "]";
  }

  /** Builds a {@link MistralChatProvider}. Not thread-safe. */
  public static final class Builder extends ChatCompletionsBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The API base URL, to which {@code /chat/completions} is appended. Defaults to
     * {@code https://api.mistral.ai/v1} ({@link MistralChatProvider#DEFAULT_BASE_URL}).
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws LlmConfigurationException when the base URL is not an http(s) URL
     */
    public MistralChatProvider build() {
      ChatCompletionsConfig config = chatCompletionsAt(baseUrl, Map.of())
          .requestIdHeaders(REQUEST_ID_HEADERS)
          .dialect(DIALECT)
          .build();
      return new MistralChatProvider(client(config), baseUrl, apiKeys().size());
    }
  }
}

package dev.llmgateway.provider.openai;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.openai.internal.ChatCompletionsClient;
import dev.llmgateway.provider.openai.internal.ChatCompletionsConfig;
import dev.llmgateway.provider.openai.internal.ChatCompletionsProvider;
import dev.llmgateway.provider.openai.internal.OpenAiDialectBuilder;
import dev.llmgateway.provider.openai.internal.ProviderSettingsReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link dev.llmgateway.spi.ChatProvider} for the OpenAI Chat Completions API
 * ({@code POST {baseUrl}/chat/completions}), and for the many servers that copy it (vLLM, llama.cpp, Groq,
 * DeepSeek, LM Studio...) given their base URL; {@link OpenAiCompatiblePreset} names the common ones.
 * Build one with {@link #builder()}.
 *
 * <p>{@link #chat} makes a non-streaming call; {@link #stream} a streaming one whose chunks reach the
 * caller as they arrive. Only choice 0 of an answer is read. Every failure is mapped to the
 * {@link dev.llmgateway.error.LlmException} hierarchy with the provider, model, HTTP status, request id
 * ({@code x-request-id}) and the provider's retry signals; messages never contain the API key. The
 * provider never retries; cancelling the {@link CallContext} cancels the HTTP call, and the context's
 * timeout, if any, bounds the call.
 *
 * <p>Also an {@link dev.llmgateway.spi.EmbeddingProvider}: {@code POST {baseUrl}/embeddings}, e.g. with
 * {@code text-embedding-3-small}, whose vectors can be shortened with the request's dimensions. Compatible
 * servers that have no embeddings endpoint (Groq, DeepSeek) answer with an HTTP error, mapped as usual.
 *
 * <p>Thread-safe. Several API keys are used in turn, round robin, one per call.
 */
public final class OpenAiChatProvider extends ChatCompletionsProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "openai";
  /** OpenAI's API base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** Streams ask for a final usage chunk ({@code stream_options.include_usage}). */
  public static final boolean DEFAULT_INCLUDE_STREAM_USAGE = true;
  /** The field OpenAI wants the output-token limit in; compatible servers mostly want {@code max_tokens}. */
  public static final String DEFAULT_MAX_TOKENS_FIELD = "max_completion_tokens";

  private final String baseUrl;
  private final @Nullable String organization;
  private final @Nullable String project;

  private OpenAiChatProvider(Builder b, ChatCompletionsClient client, int apiKeyCount) {
    super(client, apiKeyCount);
    this.baseUrl = ProviderSettingsReader.stripTrailingSlashes(b.baseUrl);
    this.organization = b.organization;
    this.project = b.project;
  }

  /** A builder with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The API base URL, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The {@code OpenAI-Organization} header value; null when not sent. */
  public @Nullable String organization() {
    return organization;
  }

  /** The {@code OpenAI-Project} header value; null when not sent. */
  public @Nullable String project() {
    return project;
  }

  @Override
  public String toString() {
    return "OpenAiChatProvider[name=" + name() + ", baseUrl=" + baseUrl + ", apiKeys=" + apiKeyCount()
        + (organization != null ? ", organization=" + organization : "")
        + (project != null ? ", project=" + project : "")
        + ", headers=" + headerNames() + "]";
  }

  /**
   * Builds an {@link OpenAiChatProvider}. Every setting is optional. Not thread-safe.
   */
  public static final class Builder extends OpenAiDialectBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable String organization;
    private @Nullable String project;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME, DEFAULT_INCLUDE_STREAM_USAGE, DEFAULT_MAX_TOKENS_FIELD);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The API base URL, to which {@code /chat/completions} is appended, e.g.
     * {@code http://localhost:8000/v1} for vLLM. Defaults to {@code https://api.openai.com/v1}
     * ({@link OpenAiChatProvider#DEFAULT_BASE_URL}).
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /** The {@code OpenAI-Organization} header. Defaults to null: not sent. */
    public Builder organization(@Nullable String organization) {
      this.organization = organization;
      return this;
    }

    /** The {@code OpenAI-Project} header. Defaults to null: not sent. */
    public Builder project(@Nullable String project) {
      this.project = project;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws LlmConfigurationException when the base URL is not an http(s) URL
     */
    public OpenAiChatProvider build() {
      Map<String, String> builtIn = new LinkedHashMap<>();
      if (organization != null) {
        builtIn.put("OpenAI-Organization", organization);
      }
      if (project != null) {
        builtIn.put("OpenAI-Project", project);
      }
      ChatCompletionsConfig config = chatCompletionsAt(baseUrl, builtIn).dialect(dialect()).build();
      return new OpenAiChatProvider(this, client(config), apiKeys().size());
    }
  }
}

package dev.llmgateway.provider.azure;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.openai.internal.ChatCompletionsClient;
import dev.llmgateway.provider.openai.internal.ChatCompletionsConfig;
import dev.llmgateway.provider.openai.internal.ChatCompletionsProvider;
import dev.llmgateway.provider.openai.internal.KeyRotation;
import dev.llmgateway.provider.openai.internal.OpenAiDialectBuilder;
import dev.llmgateway.provider.openai.internal.ProviderSettingsReader;
import dev.llmgateway.provider.openai.internal.RequestAuth;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * A {@link dev.llmgateway.spi.ChatProvider} for Azure OpenAI's Chat Completions. The request's model is the
 * <em>deployment</em> name. Build one with {@link #builder()}.
 *
 * <p>Two URL shapes ({@link Mode}): by deployment,
 * {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}, the classic one; or
 * the v1 surface, {@code {endpoint}/openai/v1/chat/completions}, where the deployment goes in the body's
 * {@code model} and {@code api-version} is optional. Authentication is an {@code api-key} header (several
 * keys rotate, one per call) or {@code Authorization: Bearer} with a Microsoft Entra ID token from a
 * supplier asked on every call; never both.
 *
 * <p>Beyond OpenAI's wire: a filtered prompt (HTTP 400, {@code code: content_filter}, inner error
 * {@code ResponsibleAIPolicyViolation}) is a {@link dev.llmgateway.error.ContentFilteredException}; filtered
 * output finishes with {@link dev.llmgateway.FinishReason#CONTENT_FILTER}; the leading stream chunk with an
 * empty id and {@code prompt_filter_results} and trailing chunks holding only
 * {@code content_filter_results} map to nothing; request ids come from {@code apim-request-id} or
 * {@code x-request-id}; a 429's wait from {@code retry-after-ms} or {@code retry-after}, and
 * {@code x-ratelimit-*} values of {@code -1} or {@code 0}, which Azure sends when it does not know, are
 * ignored.
 *
 * <p>Also an {@link dev.llmgateway.spi.EmbeddingProvider}, with the model as the deployment of an
 * embedding model: {@code {endpoint}/openai/deployments/{deployment}/embeddings?api-version=...}, or
 * {@code {endpoint}/openai/v1/embeddings} in {@link Mode#V1} mode; same credentials and error mapping.
 *
 * <p>Thread-safe. Never retries; cancellation and the caller's deadline apply as for every provider.
 */
public final class AzureOpenAiChatProvider extends ChatCompletionsProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "azure";
  /**
   * The {@code api-version} sent in {@link Mode#DEPLOYMENT} mode: the latest GA version of the dated
   * inference API.
   */
  public static final String DEFAULT_API_VERSION = "2024-10-21";
  /** Calls go to the deployment URL. */
  public static final Mode DEFAULT_MODE = Mode.DEPLOYMENT;
  /** Streams ask for a final usage chunk ({@code stream_options.include_usage}). */
  public static final boolean DEFAULT_INCLUDE_STREAM_USAGE = true;
  /** The output-token field, as for OpenAI. */
  public static final String DEFAULT_MAX_TOKENS_FIELD = "max_completion_tokens";

  /** Azure's request-id headers, in the order they are looked at. */
  static final List<String> REQUEST_ID_HEADERS = List.of("apim-request-id", "x-request-id");

  /** Which URL shape calls use. */
  public enum Mode {
    /** {@code /openai/deployments/{deployment}/chat/completions?api-version=...}. */
    DEPLOYMENT,
    /** {@code /openai/v1/chat/completions} with the deployment as {@code model}. */
    V1
  }

  private final String endpoint;
  private final Mode mode;
  private final @Nullable String apiVersion;
  private final boolean tokenAuth;

  private AzureOpenAiChatProvider(Builder b, ChatCompletionsClient client, String endpoint,
      @Nullable String apiVersion, int apiKeyCount) {
    super(client, apiKeyCount);
    this.endpoint = endpoint;
    this.mode = b.mode;
    this.apiVersion = apiVersion;
    this.tokenAuth = b.tokenSupplier != null;
  }

  /** A builder with every setting at its default; an endpoint and a credential are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The resource endpoint, e.g. {@code https://my-resource.openai.azure.com}, without a trailing slash. */
  public String endpoint() {
    return endpoint;
  }

  /** Which URL shape calls use. */
  public Mode mode() {
    return mode;
  }

  /** The {@code api-version} sent; null when none is (the v1 surface without an explicit version). */
  public @Nullable String apiVersion() {
    return apiVersion;
  }

  /** Whether calls carry an Entra ID token rather than an {@code api-key}. */
  public boolean usesTokenSupplier() {
    return tokenAuth;
  }

  @Override
  public String toString() {
    return "AzureOpenAiChatProvider[name=" + name() + ", endpoint=" + endpoint + ", mode=" + mode
        + (apiVersion != null ? ", apiVersion=" + apiVersion : "")
        + (tokenAuth ? ", auth=token supplier" : ", apiKeys=" + apiKeyCount())
        + ", headers=" + headerNames() + "]";
  }

  /**
   * The headers as the retry signals should read them: Azure sends {@code x-ratelimit-*} values of
   * {@code -1} and {@code 0} when it does not know, which must not read as "exhausted".
   */
  static Headers withoutUnknownRateLimits(Headers headers) {
    Headers.Builder kept = new Headers.Builder();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String value = headers.value(i).strip();
      boolean unknown = name.toLowerCase(Locale.ROOT).startsWith("x-ratelimit-")
          && (value.equals("-1") || value.equals("0"));
      if (!unknown) {
        kept.addUnsafeNonAscii(name, headers.value(i));
      }
    }
    return kept.build();
  }

  /**
   * Builds an {@link AzureOpenAiChatProvider}. Required: an {@link #endpoint} (or {@link #resourceName}),
   * and either API keys or a {@link #tokenSupplier}. Not thread-safe.
   */
  public static final class Builder extends OpenAiDialectBuilder<Builder> {
    private @Nullable String endpoint;
    private Mode mode = DEFAULT_MODE;
    private @Nullable String apiVersion;
    private @Nullable Supplier<String> tokenSupplier;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME, DEFAULT_INCLUDE_STREAM_USAGE, DEFAULT_MAX_TOKENS_FIELD);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The resource endpoint, e.g. {@code https://my-resource.openai.azure.com} (or an API gateway in front
     * of it); {@code /openai/...} is appended. No default: this or {@link #resourceName} is required.
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = requireNonBlank(endpoint, "endpoint");
      return this;
    }

    /** Sets the endpoint to {@code https://{resourceName}.openai.azure.com}. */
    public Builder resourceName(String resourceName) {
      String name = requireNonBlank(resourceName, "resourceName").strip();
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
        throw new LlmConfigurationException("resourceName must be a plain Azure resource name, was '"
            + name + "'");
      }
      return endpoint("https://" + name + ".openai.azure.com");
    }

    /** Which URL shape calls use. Defaults to {@link Mode#DEPLOYMENT} ({@link #DEFAULT_MODE}). */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The {@code api-version} query parameter, e.g. {@code 2025-04-01-preview}, or {@code preview} on the
     * v1 surface. Defaults to {@value #DEFAULT_API_VERSION} in {@link Mode#DEPLOYMENT} mode and to none
     * in {@link Mode#V1} mode.
     */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = requireNonBlank(apiVersion, "apiVersion").strip();
      return this;
    }

    /**
     * Authenticates with {@code Authorization: Bearer <token>}, asking {@code tokens} on every call (a
     * Microsoft Entra ID token for scope {@code https://cognitiveservices.azure.com/.default}; the supplier
     * should cache and refresh it). Excludes API keys. Defaults to none.
     */
    public Builder tokenSupplier(Supplier<String> tokens) {
      this.tokenSupplier = Objects.requireNonNull(tokens, "tokenSupplier");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws LlmConfigurationException without an endpoint, with an endpoint that is not an http(s) URL,
     *     or with both or neither of API keys and a token supplier
     */
    public AzureOpenAiChatProvider build() {
      if (endpoint == null) {
        throw new LlmConfigurationException("provider '" + providerName()
            + "' needs an endpoint (https://{resource}.openai.azure.com) or a resourceName");
      }
      List<?> keys = apiKeys();
      if (!keys.isEmpty() && tokenSupplier != null) {
        throw new LlmConfigurationException("provider '" + providerName()
            + "' has both API keys and a token supplier; configure one");
      }
      if (keys.isEmpty() && tokenSupplier == null) {
        throw new LlmConfigurationException("provider '" + providerName()
            + "' needs an API key or a token supplier");
      }
      String base = ProviderSettingsReader.stripTrailingSlashes(endpoint);
      HttpUrl root = ChatCompletionsConfig.parseUrl(providerName(), "endpoint", base);
      String version = apiVersion != null ? apiVersion
          : mode == Mode.DEPLOYMENT ? DEFAULT_API_VERSION : null;
      RequestAuth auth = tokenSupplier != null
          ? RequestAuth.bearerToken(tokenSupplier)
          : RequestAuth.header("api-key", "", new KeyRotation(apiKeys()));
      ChatCompletionsConfig config = ChatCompletionsConfig.builder(providerName(),
              model -> url(root, mode, version, model))
          .auth(auth)
          .headers(headers())
          .requestIdHeaders(REQUEST_ID_HEADERS)
          .retryHeaders(AzureOpenAiChatProvider::withoutUnknownRateLimits)
          .dialect(dialect())
          .build();
      return new AzureOpenAiChatProvider(this, client(config), base, version, keys.size());
    }

    private static HttpUrl url(HttpUrl root, Mode mode, @Nullable String version, String model) {
      HttpUrl.Builder url = root.newBuilder();
      if (mode == Mode.DEPLOYMENT) {
        url.addPathSegment("openai").addPathSegment("deployments").addPathSegment(model);
      } else {
        url.addPathSegment("openai").addPathSegment("v1");
      }
      url.addPathSegment("chat").addPathSegment("completions");
      if (version != null) {
        url.setQueryParameter("api-version", version);
      }
      return url.build();
    }
  }
}

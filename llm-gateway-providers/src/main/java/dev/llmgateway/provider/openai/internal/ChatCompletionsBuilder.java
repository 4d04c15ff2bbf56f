package dev.llmgateway.provider.openai.internal;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.HttpProviderBuilder;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * The settings every Chat Completions provider's builder shares: those of {@link HttpProviderBuilder}
 * (name, API keys, sent as {@code Authorization: Bearer}, extra headers, HTTP client and JSON mapper),
 * and a factory's way to take them from {@link ProviderSettings}. Each provider's builder extends it with
 * its own settings. The HTTP client defaults to one of the provider's own, shut down when the provider is
 * closed; a client with {@code retryOnConnectionFailure} on is used through a derived client that has it
 * off (sharing the same pool and dispatcher), because providers never retry on their own. Not
 * thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ChatCompletionsBuilder<B extends ChatCompletionsBuilder<B>>
    extends HttpProviderBuilder<B> {

  /** @param defaultProviderName the provider's {@code DEFAULT_PROVIDER_NAME} */
  protected ChatCompletionsBuilder(String defaultProviderName) {
    super(defaultProviderName);
  }

  /**
   * What a factory takes from {@code settings}: the provider name, the extra headers and the gateway's
   * shared HTTP client and JSON mapper; and {@code keys} as the API keys (the factory decides between
   * configured keys and its environment variable).
   */
  public B settings(ProviderSettings settings, List<Secret> keys) {
    return providerName(settings.name())
        .apiKeys(keys)
        .headers(settings.headers())
        .httpClient(SharedClients.httpClient(settings.resources()))
        .objectMapper(SharedClients.objectMapper(settings.resources()));
  }

  /**
   * A configuration posting to {@code {baseUrl}/chat/completions} with the API keys as
   * {@code Authorization: Bearer}, used in turn, and {@code builtInHeaders} followed by this builder's
   * extra headers (which may replace them).
   *
   * @throws LlmConfigurationException when the base URL is not an http(s) URL
   */
  protected final ChatCompletionsConfig.Builder chatCompletionsAt(String baseUrl,
      Map<String, String> builtInHeaders) {
    HttpUrl endpoint = ChatCompletionsConfig.parseUrl(providerName(), "baseUrl",
        ProviderSettingsReader.stripTrailingSlashes(baseUrl) + "/chat/completions");
    return ChatCompletionsConfig.builder(providerName(), model -> endpoint)
        .auth(RequestAuth.bearer(new KeyRotation(apiKeys())))
        .headers(builtInHeaders)
        .headers(headers());
  }

  /** A client for {@code config} with this builder's HTTP client and mapper. */
  protected final ChatCompletionsClient client(ChatCompletionsConfig config) {
    return new ChatCompletionsClient(config, givenOrSharedHttpClient(), givenOrSharedObjectMapper());
  }
}

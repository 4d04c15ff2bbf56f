package dev.llmgateway.provider.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The settings every Chat Completions provider's builder shares: its name, API keys, extra headers, HTTP
 * client and JSON mapper. Each provider's builder extends it with its own settings. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ChatCompletionsBuilder<B extends ChatCompletionsBuilder<B>> {
  private String providerName;
  private final List<Secret> apiKeys = new ArrayList<>();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private @Nullable OkHttpClient httpClient;
  private @Nullable ObjectMapper objectMapper;

  /** @param defaultProviderName the provider's {@code DEFAULT_PROVIDER_NAME} */
  protected ChatCompletionsBuilder(String defaultProviderName) {
    this.providerName = requireNonBlank(defaultProviderName, "providerName");
  }

  /** This builder as its concrete type. */
  protected abstract B self();

  /**
   * The name in model strings and in errors. Defaults to the provider's {@code DEFAULT_PROVIDER_NAME}.
   */
  public B providerName(String providerName) {
    this.providerName = requireNonBlank(providerName, "providerName");
    return self();
  }

  /** Adds an API key; several are used in turn, one per call. Defaults to none. */
  public B apiKey(Secret apiKey) {
    apiKeys.add(Objects.requireNonNull(apiKey, "apiKey"));
    return self();
  }

  /** Replaces the API keys; several are used in turn, one per call. Defaults to none. */
  public B apiKeys(List<Secret> keys) {
    List<Secret> copy = List.copyOf(Objects.requireNonNull(keys, "apiKeys"));
    apiKeys.clear();
    apiKeys.addAll(copy);
    return self();
  }

  /** Adds a header sent on every call; it overrides a built-in one of the same name. Defaults to none. */
  public B header(String name, String value) {
    headers.put(requireNonBlank(name, "header name"), Objects.requireNonNull(value, "header value"));
    return self();
  }

  /** Replaces the extra headers. Defaults to none. */
  public B headers(Map<String, String> headers) {
    Map<String, String> copy = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    this.headers.clear();
    copy.forEach(this::header);
    return self();
  }

  /**
   * The HTTP client, usually the gateway's shared one. Defaults to a client of the provider's own, made
   * with {@link SharedClients#newHttpClient()} and shut down when the provider is closed. A client with
   * {@code retryOnConnectionFailure} on is used through a derived client that has it off (sharing the
   * same pool and dispatcher), because providers never retry on their own.
   */
  public B httpClient(OkHttpClient httpClient) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    return self();
  }

  /**
   * The JSON mapper, usually the gateway's shared one. Defaults to
   * {@link SharedClients#newObjectMapper()}, which ignores unknown properties.
   */
  public B objectMapper(ObjectMapper objectMapper) {
    this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
    return self();
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

  protected final String providerName() {
    return providerName;
  }

  protected final List<Secret> apiKeys() {
    return List.copyOf(apiKeys);
  }

  protected final Map<String, String> headers() {
    return new LinkedHashMap<>(headers);
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
    HttpUrl endpoint = ChatCompletionsConfig.parseUrl(providerName, "baseUrl",
        ProviderSettingsReader.stripTrailingSlashes(baseUrl) + "/chat/completions");
    return ChatCompletionsConfig.builder(providerName, model -> endpoint)
        .auth(RequestAuth.bearer(new KeyRotation(apiKeys())))
        .headers(builtInHeaders)
        .headers(headers);
  }

  /** A client for {@code config} with this builder's HTTP client and mapper. */
  protected final ChatCompletionsClient client(ChatCompletionsConfig config) {
    return new ChatCompletionsClient(config, httpClient, objectMapper);
  }

  /**
   * @throws LlmConfigurationException naming {@code what} when {@code value} is null or blank
   */
  protected static String requireNonBlank(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new LlmConfigurationException(what + " must not be blank");
    }
    return value;
  }
}

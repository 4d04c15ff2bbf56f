package dev.llmgateway.provider.gemini;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Set;

/**
 * Creates {@link GeminiChatProvider}s from {@link ProviderSettings}; registered for
 * {@link java.util.ServiceLoader} under the name {@code gemini}.
 *
 * <p>Reads: the base URL (default {@link GeminiChatProvider#DEFAULT_BASE_URL}); the API keys, or else the
 * {@value #API_KEY_ENV} environment variable, or else {@value #FALLBACK_API_KEY_ENV} (the name Google's
 * own SDKs also read), through {@link ProviderSettings#environment()}; and extra headers. A key is
 * required: without one, creation fails naming {@value #API_KEY_ENV}. This provider takes no options, so
 * any option is a configuration error, and a misspelt setting does not go unnoticed. The HTTP client and
 * JSON mapper are the gateway's shared ones ({@link SharedClients}).
 */
public final class GeminiProviderFactory implements ChatProviderFactory {

  /** The environment variable read when no key is configured. */
  public static final String API_KEY_ENV = "GEMINI_API_KEY";
  /** The environment variable read when neither a key nor {@value #API_KEY_ENV} is set. */
  public static final String FALLBACK_API_KEY_ENV = "GOOGLE_API_KEY";

  @Override
  public Set<String> names() {
    return Set.of(GeminiChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    if (!settings.options().isEmpty()) {
      throw new LlmConfigurationException("provider '" + settings.name() + "' takes no options, but"
          + " was given " + settings.options().keySet());
    }
    String baseUrl = settings.baseUrl() != null && !settings.baseUrl().isBlank()
        ? settings.baseUrl()
        : GeminiChatProvider.DEFAULT_BASE_URL;
    List<Secret> keys = settings.apiKeys();
    if (keys.isEmpty()) {
      keys = fromEnvironment(settings, API_KEY_ENV);
    }
    if (keys.isEmpty()) {
      keys = fromEnvironment(settings, FALLBACK_API_KEY_ENV);
    }
    if (keys.isEmpty()) {
      throw new LlmConfigurationException("provider '" + settings.name() + "' needs an API key: set "
          + API_KEY_ENV + " (or " + FALLBACK_API_KEY_ENV + ") or configure apiKeys");
    }
    return GeminiChatProvider.builder()
        .providerName(settings.name())
        .baseUrl(baseUrl)
        .apiKeys(keys)
        .headers(settings.headers())
        .httpClient(SharedClients.httpClient(settings.resources()))
        .objectMapper(SharedClients.objectMapper(settings.resources()))
        .build();
  }

  private static List<Secret> fromEnvironment(ProviderSettings settings, String variable) {
    String value = settings.environment().apply(variable);
    return value == null || value.isBlank() ? List.of() : List.of(Secret.of(value.strip()));
  }

  @Override
  public String toString() {
    return "GeminiProviderFactory" + names();
  }
}

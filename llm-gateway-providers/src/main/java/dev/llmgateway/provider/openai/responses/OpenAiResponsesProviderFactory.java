package dev.llmgateway.provider.openai.responses;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@link OpenAiResponsesChatProvider}s from {@link ProviderSettings}; registered for
 * {@link java.util.ServiceLoader} under the name {@code openai-responses}, so that the model string
 * {@code openai-responses/o3-mini} selects the Responses wire while {@code openai/o3-mini} keeps Chat
 * Completions.
 *
 * <p>Reads: the base URL (default {@link OpenAiResponsesChatProvider#DEFAULT_BASE_URL}); the API keys, or
 * else the {@value #API_KEY_ENV} environment variable through {@link ProviderSettings#environment()};
 * extra headers; and the options {@value #OPTION_ORGANIZATION}, {@value #OPTION_PROJECT},
 * {@value #OPTION_STORE} and {@value #OPTION_INCLUDE_ENCRYPTED_REASONING} (the last two {@code true} or
 * {@code false}). An unknown option is a configuration error, so a misspelt one does not go unnoticed. A
 * key is required for OpenAI's own base URL, and its absence fails naming {@value #API_KEY_ENV}; with any
 * other base URL (a local server speaking the Responses API, a proxy adding its own credentials) it is
 * optional. The HTTP client and JSON mapper are the gateway's shared ones ({@link SharedClients}).
 */
public final class OpenAiResponsesProviderFactory implements ChatProviderFactory {

  /** The environment variable read when no key is configured. */
  public static final String API_KEY_ENV = "OPENAI_API_KEY";
  /** Option: the {@code OpenAI-Organization} header. */
  public static final String OPTION_ORGANIZATION = "organization";
  /** Option: the {@code OpenAI-Project} header. */
  public static final String OPTION_PROJECT = "project";
  /** Option: {@code true} to have OpenAI store responses. */
  public static final String OPTION_STORE = "store";
  /** Option: {@code false} to stop asking for encrypted reasoning (for non-reasoning models). */
  public static final String OPTION_INCLUDE_ENCRYPTED_REASONING = "includeEncryptedReasoning";

  private static final Set<String> OPTIONS = Set.of(OPTION_ORGANIZATION, OPTION_PROJECT, OPTION_STORE,
      OPTION_INCLUDE_ENCRYPTED_REASONING);

  @Override
  public Set<String> names() {
    return Set.of(OpenAiResponsesChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    for (String key : settings.options().keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new LlmConfigurationException("provider '" + settings.name() + "' has an unknown option '"
            + key + "'; known options: " + new TreeSet<>(OPTIONS));
      }
    }
    String baseUrl = settings.baseUrl() != null && !settings.baseUrl().isBlank()
        ? settings.baseUrl()
        : OpenAiResponsesChatProvider.DEFAULT_BASE_URL;
    List<Secret> keys = settings.apiKeys();
    if (keys.isEmpty()) {
      String fromEnv = settings.environment().apply(API_KEY_ENV);
      if (fromEnv != null && !fromEnv.isBlank()) {
        keys = List.of(Secret.of(fromEnv.strip()));
      }
    }
    if (keys.isEmpty() && isOpenAi(baseUrl)) {
      throw new LlmConfigurationException("provider '" + settings.name() + "' needs an API key for "
          + OpenAiResponsesChatProvider.DEFAULT_BASE_URL + ": set " + API_KEY_ENV
          + " or configure apiKeys");
    }
    OpenAiResponsesChatProvider.Builder builder = OpenAiResponsesChatProvider.builder()
        .providerName(settings.name())
        .baseUrl(baseUrl)
        .apiKeys(keys)
        .headers(settings.headers())
        .organization(settings.option(OPTION_ORGANIZATION))
        .project(settings.option(OPTION_PROJECT))
        .httpClient(SharedClients.httpClient(settings.resources()))
        .objectMapper(SharedClients.objectMapper(settings.resources()));
    Boolean store = flag(settings, OPTION_STORE);
    if (store != null) {
      builder.store(store);
    }
    Boolean include = flag(settings, OPTION_INCLUDE_ENCRYPTED_REASONING);
    if (include != null) {
      builder.includeEncryptedReasoning(include);
    }
    return builder.build();
  }

  private static @Nullable Boolean flag(ProviderSettings settings, String option) {
    String value = settings.option(option);
    if (value == null) {
      return null;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new LlmConfigurationException("option '" + option + "' of provider '" + settings.name()
          + "' must be true or false, was '" + value + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private static boolean isOpenAi(String baseUrl) {
    String u = baseUrl.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u.equalsIgnoreCase(OpenAiResponsesChatProvider.DEFAULT_BASE_URL);
  }

  @Override
  public String toString() {
    return "OpenAiResponsesProviderFactory" + names();
  }
}

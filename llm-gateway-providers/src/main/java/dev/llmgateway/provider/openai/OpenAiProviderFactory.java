package dev.llmgateway.provider.openai;

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

/**
 * Creates {@link OpenAiChatProvider}s from {@link ProviderSettings}; registered for
 * {@link java.util.ServiceLoader} under the name {@code openai}.
 *
 * <p>Reads: the base URL (default {@link OpenAiChatProvider#DEFAULT_BASE_URL}); the API keys, or else the
 * {@value #API_KEY_ENV} environment variable through {@link ProviderSettings#environment()}; extra headers;
 * and the options {@value #OPTION_ORGANIZATION}, {@value #OPTION_PROJECT}, {@value #OPTION_MAX_TOKENS_FIELD}
 * and {@value #OPTION_INCLUDE_STREAM_USAGE} ({@code true}/{@code false}). An unknown option is a
 * configuration error, so a misspelt one does not go unnoticed. A key is required for OpenAI's own base
 * URL; with any other base URL (vLLM, llama.cpp...) it is optional. The HTTP client and JSON mapper are the
 * gateway's shared ones ({@link SharedClients}).
 */
public final class OpenAiProviderFactory implements ChatProviderFactory {

  /** The environment variable read when no key is configured. */
  public static final String API_KEY_ENV = "OPENAI_API_KEY";
  /** Option: the {@code OpenAI-Organization} header. */
  public static final String OPTION_ORGANIZATION = "organization";
  /** Option: the {@code OpenAI-Project} header. */
  public static final String OPTION_PROJECT = "project";
  /** Option: the max-tokens request field, e.g. {@code max_tokens} for compatible servers. */
  public static final String OPTION_MAX_TOKENS_FIELD = "maxTokensField";
  /** Option: {@code false} to stop asking streams for usage. */
  public static final String OPTION_INCLUDE_STREAM_USAGE = "includeStreamUsage";

  private static final Set<String> OPTIONS = Set.of(OPTION_ORGANIZATION, OPTION_PROJECT,
      OPTION_MAX_TOKENS_FIELD, OPTION_INCLUDE_STREAM_USAGE);

  @Override
  public Set<String> names() {
    return Set.of(OpenAiChatProvider.DEFAULT_PROVIDER_NAME);
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
        : OpenAiChatProvider.DEFAULT_BASE_URL;
    List<Secret> keys = settings.apiKeys();
    if (keys.isEmpty()) {
      String fromEnv = settings.environment().apply(API_KEY_ENV);
      if (fromEnv != null && !fromEnv.isBlank()) {
        keys = List.of(Secret.of(fromEnv.strip()));
      }
    }
    if (keys.isEmpty() && isOpenAi(baseUrl)) {
      throw new LlmConfigurationException("provider '" + settings.name()
          + "' needs an API key for " + OpenAiChatProvider.DEFAULT_BASE_URL + ": set " + API_KEY_ENV
          + " or configure apiKeys");
    }
    OpenAiChatProvider.Builder builder = OpenAiChatProvider.builder()
        .providerName(settings.name())
        .baseUrl(baseUrl)
        .apiKeys(keys)
        .headers(settings.headers())
        .organization(settings.option(OPTION_ORGANIZATION))
        .project(settings.option(OPTION_PROJECT))
        .httpClient(SharedClients.httpClient(settings.resources()))
        .objectMapper(SharedClients.objectMapper(settings.resources()));
    String maxTokensField = settings.option(OPTION_MAX_TOKENS_FIELD);
    if (maxTokensField != null) {
      builder.maxTokensField(maxTokensField);
    }
    String includeUsage = settings.option(OPTION_INCLUDE_STREAM_USAGE);
    if (includeUsage != null) {
      String v = includeUsage.strip().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new LlmConfigurationException("option '" + OPTION_INCLUDE_STREAM_USAGE + "' of provider '"
            + settings.name() + "' must be true or false, was '" + includeUsage + "'");
      }
      builder.includeStreamUsage(Boolean.parseBoolean(v));
    }
    return builder.build();
  }

  private static boolean isOpenAi(String baseUrl) {
    String u = baseUrl.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u.equalsIgnoreCase(OpenAiChatProvider.DEFAULT_BASE_URL);
  }

  @Override
  public String toString() {
    return "OpenAiProviderFactory" + names();
  }
}

package dev.llmgateway.provider.openai;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.openai.internal.ProviderSettingsReader;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
 * gateway's shared ones ({@link dev.llmgateway.provider.internal.http.SharedClients}).
 */
public final class OpenAiProviderFactory implements ChatProviderFactory {

  /** The environment variable read when no key is configured. */
  public static final String API_KEY_ENV = "OPENAI_API_KEY";
  /** Option: the {@code OpenAI-Organization} header. */
  public static final String OPTION_ORGANIZATION = "organization";
  /** Option: the {@code OpenAI-Project} header. */
  public static final String OPTION_PROJECT = "project";
  /** Option: the max-tokens request field, e.g. {@code max_tokens} for compatible servers. */
  public static final String OPTION_MAX_TOKENS_FIELD = ProviderSettingsReader.OPTION_MAX_TOKENS_FIELD;
  /** Option: {@code false} to stop asking streams for usage. */
  public static final String OPTION_INCLUDE_STREAM_USAGE =
      ProviderSettingsReader.OPTION_INCLUDE_STREAM_USAGE;

  private static final Set<String> OPTIONS = Set.of(OPTION_ORGANIZATION, OPTION_PROJECT,
      OPTION_MAX_TOKENS_FIELD, OPTION_INCLUDE_STREAM_USAGE);

  @Override
  public Set<String> names() {
    return Set.of(OpenAiChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    ProviderSettingsReader.requireKnownOptions(settings, OPTIONS);
    String baseUrl = Objects.requireNonNullElse(ProviderSettingsReader.baseUrl(settings),
        OpenAiChatProvider.DEFAULT_BASE_URL);
    List<Secret> keys = ProviderSettingsReader.keys(settings, API_KEY_ENV);
    if (keys.isEmpty() && isOpenAi(baseUrl)) {
      throw new LlmConfigurationException("provider '" + settings.name()
          + "' needs an API key for " + OpenAiChatProvider.DEFAULT_BASE_URL + ": set " + API_KEY_ENV
          + " or configure apiKeys");
    }
    return configure(OpenAiChatProvider.builder(), settings, baseUrl, keys)
        .organization(settings.option(OPTION_ORGANIZATION))
        .project(settings.option(OPTION_PROJECT))
        .build();
  }

  /**
   * {@code builder} given what every factory of this package reads the same way: name, base URL, keys,
   * headers, the gateway's shared client and mapper (see {@link OpenAiChatProvider.Builder#settings}),
   * and the options {@value #OPTION_MAX_TOKENS_FIELD} and {@value #OPTION_INCLUDE_STREAM_USAGE} when set
   * (they override the builder's values).
   */
  static OpenAiChatProvider.Builder configure(OpenAiChatProvider.Builder builder,
      ProviderSettings settings, String baseUrl, List<Secret> keys) {
    builder.settings(settings, keys).baseUrl(baseUrl);
    ProviderSettingsReader.readDialectOptions(settings, builder::maxTokensField,
        builder::includeStreamUsage);
    return builder;
  }

  private static boolean isOpenAi(String baseUrl) {
    return ProviderSettingsReader.stripTrailingSlashes(baseUrl)
        .equalsIgnoreCase(OpenAiChatProvider.DEFAULT_BASE_URL);
  }

  @Override
  public String toString() {
    return "OpenAiProviderFactory" + names();
  }
}

package dev.llmgateway.provider.azure;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.openai.internal.ProviderSettingsReader;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Creates {@link AzureOpenAiChatProvider}s from {@link ProviderSettings}; registered for
 * {@link java.util.ServiceLoader} under the name {@code azure}.
 *
 * <p>Reads: the endpoint from the base URL, or else {@value #ENDPOINT_ENV}; the API keys, or else
 * {@value #API_KEY_ENV}; extra headers; and the options {@value #OPTION_API_VERSION} (else
 * {@value #API_VERSION_ENV}, else the provider's default), {@value #OPTION_MODE} ({@code deployment} or
 * {@code v1}), {@value #OPTION_MAX_TOKENS_FIELD} and {@value #OPTION_INCLUDE_STREAM_USAGE}. A missing
 * endpoint or key fails naming the variables to set. Entra ID tokens need a supplier, so they are
 * configured on {@link AzureOpenAiChatProvider#builder()} and the provider registered explicitly.
 */
public final class AzureOpenAiProviderFactory implements ChatProviderFactory {

  /** The environment variable read when no key is configured. */
  public static final String API_KEY_ENV = "AZURE_OPENAI_API_KEY";
  /** The environment variable read when no base URL is configured. */
  public static final String ENDPOINT_ENV = "AZURE_OPENAI_ENDPOINT";
  /** The environment variable read when the {@value #OPTION_API_VERSION} option is not set. */
  public static final String API_VERSION_ENV = "OPENAI_API_VERSION";
  /** Option: the {@code api-version} query parameter. */
  public static final String OPTION_API_VERSION = "api-version";
  /** Option: {@code deployment} (the default) or {@code v1}. */
  public static final String OPTION_MODE = "mode";
  /** Option: the max-tokens request field. */
  public static final String OPTION_MAX_TOKENS_FIELD = ProviderSettingsReader.OPTION_MAX_TOKENS_FIELD;
  /** Option: {@code false} to stop asking streams for usage. */
  public static final String OPTION_INCLUDE_STREAM_USAGE =
      ProviderSettingsReader.OPTION_INCLUDE_STREAM_USAGE;

  private static final Set<String> OPTIONS = Set.of(OPTION_API_VERSION, OPTION_MODE,
      OPTION_MAX_TOKENS_FIELD, OPTION_INCLUDE_STREAM_USAGE);

  @Override
  public Set<String> names() {
    return Set.of(AzureOpenAiChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    ProviderSettingsReader.requireKnownOptions(settings, OPTIONS);
    String endpoint = ProviderSettingsReader.baseUrl(settings);
    if (endpoint == null) {
      endpoint = ProviderSettingsReader.environment(settings, ENDPOINT_ENV);
    }
    List<Secret> keys = ProviderSettingsReader.keys(settings, API_KEY_ENV);
    List<String> missing = new ArrayList<>();
    if (endpoint == null) {
      missing.add("an endpoint: set " + ENDPOINT_ENV + " or configure baseUrl");
    }
    if (keys.isEmpty()) {
      missing.add("an API key: set " + API_KEY_ENV + " or configure apiKeys");
    }
    if (endpoint == null || keys.isEmpty()) {
      throw new LlmConfigurationException("provider '" + settings.name() + "' needs "
          + String.join(", and ", missing));
    }
    AzureOpenAiChatProvider.Builder builder = AzureOpenAiChatProvider.builder()
        .settings(settings, keys)
        .endpoint(endpoint)
        .mode(mode(settings));
    String version = settings.option(OPTION_API_VERSION);
    if (version == null) {
      version = ProviderSettingsReader.environment(settings, API_VERSION_ENV);
    }
    if (version != null) {
      builder.apiVersion(version);
    }
    ProviderSettingsReader.readDialectOptions(settings, builder::maxTokensField,
        builder::includeStreamUsage);
    return builder.build();
  }

  private static AzureOpenAiChatProvider.Mode mode(ProviderSettings settings) {
    String raw = settings.option(OPTION_MODE);
    if (raw == null) {
      return AzureOpenAiChatProvider.DEFAULT_MODE;
    }
    return switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "deployment", "deployments" -> AzureOpenAiChatProvider.Mode.DEPLOYMENT;
      case "v1" -> AzureOpenAiChatProvider.Mode.V1;
      default -> throw new LlmConfigurationException("option '" + OPTION_MODE + "' of provider '"
          + settings.name() + "' must be deployment or v1, was '" + raw + "'");
    };
  }

  @Override
  public String toString() {
    return "AzureOpenAiProviderFactory" + names();
  }
}

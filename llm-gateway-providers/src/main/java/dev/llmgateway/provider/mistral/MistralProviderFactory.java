package dev.llmgateway.provider.mistral;

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
 * Creates {@link MistralChatProvider}s from {@link ProviderSettings}; registered for
 * {@link java.util.ServiceLoader} under the name {@code mistral}.
 *
 * <p>Reads: the base URL (default {@link MistralChatProvider#DEFAULT_BASE_URL}); the API keys, or else
 * {@value #API_KEY_ENV}; and extra headers. It takes no options; one given is a configuration error. A
 * missing key fails naming the variable.
 */
public final class MistralProviderFactory implements ChatProviderFactory {

  /** The environment variable read when no key is configured. */
  public static final String API_KEY_ENV = "MISTRAL_API_KEY";

  @Override
  public Set<String> names() {
    return Set.of(MistralChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    ProviderSettingsReader.requireKnownOptions(settings, Set.of());
    List<Secret> keys = ProviderSettingsReader.keys(settings, API_KEY_ENV);
    if (keys.isEmpty()) {
      throw new LlmConfigurationException("provider '" + settings.name() + "' needs an API key: set "
          + API_KEY_ENV + " or configure apiKeys");
    }
    return MistralChatProvider.builder()
        .settings(settings, keys)
        .baseUrl(Objects.requireNonNullElse(ProviderSettingsReader.baseUrl(settings),
            MistralChatProvider.DEFAULT_BASE_URL))
        .build();
  }

  @Override
  public String toString() {
    return "MistralProviderFactory" + names();
  }
}

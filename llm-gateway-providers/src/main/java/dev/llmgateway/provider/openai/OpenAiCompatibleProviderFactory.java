package dev.llmgateway.provider.openai;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.openai.internal.ProviderSettingsReader;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates {@link OpenAiChatProvider}s for every {@link OpenAiCompatiblePreset}, under the preset's name
 * ({@code groq}, {@code together}, {@code deepseek}, {@code openrouter}, {@code fireworks}, {@code vllm},
 * {@code llamacpp}, {@code lmstudio}); registered for {@link java.util.ServiceLoader}.
 *
 * <p>Reads: the base URL, which wins over the preset's; the API keys, or else the preset's environment
 * variable (never {@code OPENAI_API_KEY}, which must not leak to another server); extra headers; and the
 * options {@value OpenAiProviderFactory#OPTION_MAX_TOKENS_FIELD} and
 * {@value OpenAiProviderFactory#OPTION_INCLUDE_STREAM_USAGE}, which override the preset's. A hosted
 * service without a key fails naming its variable; a local server may have none.
 */
public final class OpenAiCompatibleProviderFactory implements ChatProviderFactory {

  private static final Set<String> OPTIONS = Set.of(OpenAiProviderFactory.OPTION_MAX_TOKENS_FIELD,
      OpenAiProviderFactory.OPTION_INCLUDE_STREAM_USAGE);

  @Override
  public Set<String> names() {
    return Arrays.stream(OpenAiCompatiblePreset.values())
        .map(OpenAiCompatiblePreset::presetName)
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    OpenAiCompatiblePreset preset = OpenAiCompatiblePreset.forName(settings.name());
    if (preset == null) {
      throw new LlmConfigurationException("no OpenAI-compatible preset is named '" + settings.name()
          + "'; presets: " + names());
    }
    ProviderSettingsReader.requireKnownOptions(settings, OPTIONS);
    String variable = preset.apiKeyVariable();
    List<Secret> keys = ProviderSettingsReader.keys(settings, variable);
    if (keys.isEmpty() && preset.keyRequired()) {
      throw new LlmConfigurationException("provider '" + settings.name() + "' needs an API key: set "
          + variable + " or configure apiKeys");
    }
    String baseUrl = Objects.requireNonNullElse(ProviderSettingsReader.baseUrl(settings),
        preset.baseUrl());
    return OpenAiProviderFactory.configure(preset.builder(), settings, baseUrl, keys).build();
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleProviderFactory" + names();
  }
}

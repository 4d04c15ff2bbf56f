package dev.llmgateway.provider.anthropic;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates {@link AnthropicChatProvider}s from gateway settings; found through
 * {@link java.util.ServiceLoader} under the name {@code anthropic}.
 *
 * <p>Settings: the keys from {@link ProviderSettings#apiKeys()}, else the environment variable
 * {@value #API_KEY_ENV} read through {@link ProviderSettings#environment()} (missing both fails with
 * {@link LlmConfigurationException} naming the variable); {@code baseUrl} (defaults to
 * {@link AnthropicChatProvider#DEFAULT_BASE_URL}); extra headers; the gateway's shared HTTP client and
 * mapper. Options, all optional: {@value #OPTION_VERSION} (the {@code anthropic-version} header),
 * {@value #OPTION_BETA} (comma-separated betas) and {@value #OPTION_DEFAULT_MAX_TOKENS}. An unknown option
 * fails, naming the known ones, so that a typo does not pass silently.
 */
public final class AnthropicProviderFactory implements ChatProviderFactory {

  /** The environment variable holding the key when the settings carry none. */
  public static final String API_KEY_ENV = "ANTHROPIC_API_KEY";

  /** Option: the {@code anthropic-version} header. */
  public static final String OPTION_VERSION = "anthropic-version";

  /** Option: betas for {@code anthropic-beta}, comma-separated. */
  public static final String OPTION_BETA = "anthropic-beta";

  /** Option: the {@code max_tokens} sent when a request sets none. */
  public static final String OPTION_DEFAULT_MAX_TOKENS = "default-max-tokens";

  private static final Set<String> OPTIONS =
      new TreeSet<>(List.of(OPTION_VERSION, OPTION_BETA, OPTION_DEFAULT_MAX_TOKENS));

  @Override
  public Set<String> names() {
    return Set.of(AnthropicChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    for (String option : settings.options().keySet()) {
      if (!OPTIONS.contains(option)) {
        throw new LlmConfigurationException("unknown option '" + option + "' for provider "
            + settings.name() + "; known options: " + OPTIONS);
      }
    }
    AnthropicChatProvider.Builder builder = AnthropicChatProvider.builder()
        .providerName(settings.name())
        .resources(settings.resources())
        .headers(settings.headers());
    if (!settings.apiKeys().isEmpty()) {
      builder.apiKeys(settings.apiKeys());
    } else {
      String key = settings.environment().apply(API_KEY_ENV);
      if (key == null || key.isBlank()) {
        throw new LlmConfigurationException("no API key for provider " + settings.name()
            + ": set the environment variable " + API_KEY_ENV + " or give the provider a key");
      }
      builder.apiKey(Secret.of(key.strip()));
    }
    if (settings.baseUrl() != null) {
      builder.baseUrl(settings.baseUrl());
    }
    String version = settings.option(OPTION_VERSION);
    if (version != null) {
      builder.anthropicVersion(version);
    }
    String beta = settings.option(OPTION_BETA);
    if (beta != null) {
      builder.betas(Arrays.stream(beta.split(",")).map(String::strip).filter(s -> !s.isEmpty())
          .toList());
    }
    String maxTokens = settings.option(OPTION_DEFAULT_MAX_TOKENS);
    if (maxTokens != null) {
      try {
        builder.defaultMaxTokens(Integer.parseInt(maxTokens.strip()));
      } catch (NumberFormatException e) {
        throw new LlmConfigurationException("option " + OPTION_DEFAULT_MAX_TOKENS + " of provider "
            + settings.name() + " must be a whole number, was '" + maxTokens + "'");
      }
    }
    return builder.build();
  }
}

package dev.llmgateway.gateway;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import java.util.Set;

/**
 * Found through META-INF/services in the test class path: serves "discovered" (no key needed) and
 * "needs-key" (fails without TEST_PROVIDER_KEY, as real providers do without their key).
 */
public final class DiscoverableTestFactory implements ChatProviderFactory {
  @Override
  public Set<String> names() {
    return Set.of("discovered", "needs-key");
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    if (settings.name().equals("needs-key") && settings.apiKeys().isEmpty()
        && settings.environment().apply("TEST_PROVIDER_KEY") == null) {
      throw new LlmConfigurationException(
          "provider needs-key needs an API key: set TEST_PROVIDER_KEY or configure one");
    }
    return new ScriptedProvider(settings.name());
  }
}

package dev.llmgateway.spi;

import java.util.Set;

/**
 * Creates {@link ChatProvider}s; found through {@link java.util.ServiceLoader} (list implementations in
 * {@code META-INF/services/dev.llmgateway.spi.ChatProviderFactory}). A provider registered explicitly on
 * the gateway's builder wins over a discovered one of the same name.
 */
public interface ChatProviderFactory {

  /** The provider names this factory serves, e.g. {@code openai}. */
  Set<String> names();

  /**
   * Creates a provider. Fails with {@link dev.llmgateway.error.LlmConfigurationException} naming what is
   * missing (e.g. the environment variable for the key), so a misconfigured gateway fails when built.
   */
  ChatProvider create(ProviderSettings settings);
}

package dev.llmgateway.gateway.internal;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Finds the provider for a name: explicitly registered providers first, then providers created by a
 * {@link ChatProviderFactory} (explicit or discovered), created once and cached.
 */
public final class ProviderRegistry implements AutoCloseable {
  private final Map<String, ChatProvider> explicit;
  private final Map<String, ChatProviderFactory> factories;
  private final Function<String, ProviderSettings> settingsFor;
  private final ConcurrentHashMap<String, ChatProvider> created = new ConcurrentHashMap<>();

  /**
   * @param explicit providers registered on the builder, by name
   * @param factories factories by provider name; earlier entries win
   * @param settingsFor the settings to create the named provider with
   */
  public ProviderRegistry(Map<String, ChatProvider> explicit, Map<String, ChatProviderFactory> factories,
      Function<String, ProviderSettings> settingsFor) {
    this.explicit = Map.copyOf(explicit);
    this.factories = new LinkedHashMap<>(factories);
    this.settingsFor = settingsFor;
  }

  /** The provider called {@code name}; creates it from its factory the first time. */
  public ChatProvider get(String name) {
    ChatProvider provider = find(name);
    if (provider == null) {
      throw new LlmConfigurationException("no provider named '" + name + "' is registered or discovered;"
          + " known providers: " + names(), ErrorContext.of(name, null), null);
    }
    return provider;
  }

  private @Nullable ChatProvider find(String name) {
    ChatProvider provider = explicit.get(name);
    if (provider != null) {
      return provider;
    }
    ChatProviderFactory factory = factories.get(name);
    if (factory == null) {
      return null;
    }
    return created.computeIfAbsent(name, n -> factory.create(settingsFor.apply(n)));
  }

  /** Every name a provider can be found under. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>(explicit.keySet());
    names.addAll(factories.keySet());
    return names;
  }

  /** Whether {@code name} has an explicitly registered provider. */
  public boolean isExplicit(String name) {
    return explicit.containsKey(name);
  }

  @Override
  public void close() {
    List<ChatProvider> toClose = new ArrayList<>(created.values());
    created.clear();
    for (ChatProvider provider : toClose) {
      try {
        provider.close();
      } catch (RuntimeException ignored) {
        // best effort: a provider that fails to close holds nothing more we can release
      }
    }
  }
}

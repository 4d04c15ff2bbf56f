package dev.llmgateway.spi;

import dev.llmgateway.internal.Require;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ChatProviderFactory} needs to create a provider: where to call, with which keys, and the
 * resources shared across the gateway.
 *
 * @param name the provider name the instance answers to (a factory may serve several, e.g. presets)
 * @param baseUrl the API's base URL; null for the provider's default
 * @param apiKeys keys to use, rotated when there are several; empty to read the provider's conventional
 *     environment variable
 * @param headers extra HTTP headers sent on every call
 * @param options provider-specific string settings (organization, project, api-version...)
 * @param environment how to read environment variables; {@code System::getenv} by default, replaceable
 *     in tests
 * @param resources the gateway's shared HTTP client and JSON mapper
 */
public record ProviderSettings(String name, @Nullable String baseUrl, List<Secret> apiKeys,
    Map<String, String> headers, Map<String, String> options,
    Function<String, @Nullable String> environment, SharedResources resources) {

  public ProviderSettings {
    Require.nonBlank(name, "provider name");
    apiKeys = Require.copyOf(apiKeys, "apiKeys");
    headers = Require.copyOf(headers, "headers");
    options = Require.copyOf(options, "options");
    Require.nonNull(environment, "environment");
    Require.nonNull(resources, "resources");
  }

  /** Settings with defaults only: no base URL, keys from the environment, no extra headers. */
  public static ProviderSettings defaults(String name, SharedResources resources) {
    return new ProviderSettings(name, null, List.of(), Map.of(), Map.of(), System::getenv, resources);
  }

  public @Nullable String option(String key) {
    return options.get(key);
  }

  @Override
  public String toString() {
    // headers may hold credentials (api-key, Authorization): show their names only
    return "ProviderSettings[name=" + name + ", baseUrl=" + baseUrl + ", apiKeys=" + apiKeys.size()
        + ", headers=" + headers.keySet() + ", options=" + options + "]";
  }
}

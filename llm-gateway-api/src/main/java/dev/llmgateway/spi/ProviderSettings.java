package dev.llmgateway.spi;

import dev.llmgateway.internal.Require;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /** A builder for settings of provider {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
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

  /** Builds {@link ProviderSettings}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private @Nullable String baseUrl;
    private final List<Secret> apiKeys = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private Function<String, @Nullable String> environment = System::getenv;
    private @Nullable SharedResources resources;

    private Builder(String name) {
      this.name = Require.nonBlank(name, "provider name");
    }

    /** Defaults to null: the provider's public endpoint. */
    public Builder baseUrl(@Nullable String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** Adds a key; several keys rotate. Defaults to none: the provider's environment variable. */
    public Builder apiKey(String apiKey) {
      apiKeys.add(Secret.of(apiKey));
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(Require.nonBlank(name, "header name"), Require.nonNull(value, "header value"));
      return this;
    }

    public Builder option(String key, String value) {
      options.put(Require.nonBlank(key, "option key"), Require.nonNull(value, "option value"));
      return this;
    }

    /** Defaults to {@code System::getenv}. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Require.nonNull(environment, "environment");
      return this;
    }

    /** Defaults to a new, private {@link SharedResources}; the gateway passes its own. */
    public Builder resources(SharedResources resources) {
      this.resources = Require.nonNull(resources, "resources");
      return this;
    }

    public ProviderSettings build() {
      return new ProviderSettings(name, baseUrl, apiKeys, headers, options, environment,
          resources != null ? resources : new SharedResources());
    }
  }
}

package dev.llmgateway.provider.ollama;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.RetrySignals;
import dev.llmgateway.provider.ollama.internal.OllamaHost;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@link OllamaChatProvider}s from gateway settings; found through
 * {@link java.util.ServiceLoader} under the name {@code ollama}. No key is needed.
 *
 * <p>Settings: the base URL from {@link ProviderSettings#baseUrl()}, else the environment variable
 * {@value #HOST_ENV} read through {@link ProviderSettings#environment()}, else
 * {@link OllamaChatProvider#DEFAULT_BASE_URL}. Both are read the way the Ollama CLI reads
 * {@code OLLAMA_HOST}: a value without a scheme gets {@code http://} and, without a port, port 11434
 * ({@code 0.0.0.0} is {@code http://0.0.0.0:11434}, {@code gpu-box:8080} is {@code http://gpu-box:8080});
 * a value with a scheme is a URL used as it is. Keys: {@link ProviderSettings#apiKeys()}, else the optional
 * {@value #API_KEY_ENV} (for Ollama's cloud); none is fine for a local server. Extra headers are passed
 * on, and the gateway's shared HTTP client and mapper are used. Option, optional:
 * {@value #OPTION_KEEP_ALIVE}, a duration such as {@code 10m}, {@code 1h30m}, {@code 300} (seconds),
 * {@code 0} (unload after each call) or {@code -1} (keep loaded). An unknown option fails, naming the
 * known ones, so that a typo does not pass silently.
 */
public final class OllamaProviderFactory implements ChatProviderFactory {

  /** The environment variable naming the server, as for the Ollama CLI. */
  public static final String HOST_ENV = "OLLAMA_HOST";

  /** The environment variable holding a key for Ollama's cloud when the settings carry none. */
  public static final String API_KEY_ENV = "OLLAMA_API_KEY";

  /** Option: the {@code keep_alive} sent with every call. */
  public static final String OPTION_KEEP_ALIVE = "keep-alive";

  private static final Set<String> OPTIONS = new TreeSet<>(List.of(OPTION_KEEP_ALIVE));

  @Override
  public Set<String> names() {
    return Set.of(OllamaChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    for (String option : settings.options().keySet()) {
      if (!OPTIONS.contains(option)) {
        throw new LlmConfigurationException("unknown option '" + option + "' for provider "
            + settings.name() + "; known options: " + OPTIONS);
      }
    }
    OllamaChatProvider.Builder builder = OllamaChatProvider.builder()
        .providerName(settings.name())
        .resources(settings.resources())
        .headers(settings.headers());
    String baseUrl = OllamaHost.toBaseUrl(settings.baseUrl());
    if (baseUrl == null) {
      baseUrl = OllamaHost.toBaseUrl(settings.environment().apply(HOST_ENV));
    }
    if (baseUrl != null) {
      builder.baseUrl(baseUrl);
    }
    if (!settings.apiKeys().isEmpty()) {
      builder.apiKeys(settings.apiKeys());
    } else {
      String key = settings.environment().apply(API_KEY_ENV);
      if (key != null && !key.isBlank()) {
        builder.apiKey(Secret.of(key.strip()));
      }
    }
    String keepAlive = settings.option(OPTION_KEEP_ALIVE);
    if (keepAlive != null) {
      Duration parsed = parseKeepAlive(keepAlive);
      if (parsed == null) {
        throw new LlmConfigurationException("option " + OPTION_KEEP_ALIVE + " of provider "
            + settings.name() + " must be a duration such as 10m, 1h30m, 300 (seconds) or -1, was '"
            + keepAlive + "'");
      }
      builder.keepAlive(parsed);
    }
    return builder.build();
  }

  /** A keep-alive value: whole seconds (may be negative) or a Go-style duration (may be negative). */
  static @Nullable Duration parseKeepAlive(String value) {
    String v = value.strip();
    boolean negative = v.startsWith("-");
    String magnitude = negative ? v.substring(1) : v;
    if (magnitude.isEmpty()) {
      return null;
    }
    Duration d;
    if (magnitude.chars().allMatch(Character::isDigit)) {
      try {
        d = Duration.ofSeconds(Long.parseLong(magnitude));
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      d = RetrySignals.parseDuration(magnitude);
      if (d == null) {
        return null;
      }
    }
    return negative ? d.negated() : d;
  }

  @Override
  public String toString() {
    return "OllamaProviderFactory" + names();
  }
}

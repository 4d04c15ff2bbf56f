package dev.llmgateway.provider.openai.internal;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link ProviderSettings} the same way in every factory of a Chat Completions adapter (OpenAI, the
 * compatible presets, Azure OpenAI, Mistral): configured values win over environment variables, blank
 * means unset, and a misspelt option is an error rather than silently ignored.
 */
public final class ProviderSettingsReader {
  /** Option: the max-tokens request field, e.g. {@code max_tokens}. */
  public static final String OPTION_MAX_TOKENS_FIELD = "maxTokensField";
  /** Option: {@code false} to stop asking streams for usage. */
  public static final String OPTION_INCLUDE_STREAM_USAGE = "includeStreamUsage";

  private ProviderSettingsReader() {}

  /**
   * @throws LlmConfigurationException naming the first option not in {@code known}
   */
  public static void requireKnownOptions(ProviderSettings settings, Set<String> known) {
    for (String key : settings.options().keySet()) {
      if (!known.contains(key)) {
        throw new LlmConfigurationException("provider '" + settings.name() + "' has an unknown option '"
            + key + "'; known options: " + new TreeSet<>(known));
      }
    }
  }

  /** The configured base URL, stripped; null when none (or a blank one) is configured. */
  public static @Nullable String baseUrl(ProviderSettings settings) {
    String configured = settings.baseUrl();
    return configured != null && !configured.isBlank() ? configured.strip() : null;
  }

  /**
   * The variable's value through {@link ProviderSettings#environment()}, stripped; null when unset or
   * blank.
   */
  public static @Nullable String environment(ProviderSettings settings, String variable) {
    String value = settings.environment().apply(variable);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * The configured keys; when there are none, the one in {@code variable} (if named and set); else none.
   */
  public static List<Secret> keys(ProviderSettings settings, @Nullable String variable) {
    if (!settings.apiKeys().isEmpty() || variable == null) {
      return settings.apiKeys();
    }
    String fromEnv = environment(settings, variable);
    return fromEnv == null ? List.of() : List.of(Secret.of(fromEnv));
  }

  /** A {@code true}/{@code false} option (any case); null when unset. */
  public static @Nullable Boolean booleanOption(ProviderSettings settings, String key) {
    String raw = settings.option(key);
    if (raw == null) {
      return null;
    }
    String v = raw.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new LlmConfigurationException("option '" + key + "' of provider '" + settings.name()
          + "' must be true or false, was '" + raw + "'");
    }
    return Boolean.valueOf(v);
  }

  /**
   * The options {@value #OPTION_MAX_TOKENS_FIELD} and {@value #OPTION_INCLUDE_STREAM_USAGE}, handed to the
   * builder's setters when set.
   */
  public static void readDialectOptions(ProviderSettings settings, Consumer<String> maxTokensField,
      Consumer<Boolean> includeStreamUsage) {
    String field = settings.option(OPTION_MAX_TOKENS_FIELD);
    if (field != null) {
      maxTokensField.accept(field);
    }
    Boolean include = booleanOption(settings, OPTION_INCLUDE_STREAM_USAGE);
    if (include != null) {
      includeStreamUsage.accept(include);
    }
  }

  /** A URL without surrounding blanks and trailing slashes. */
  public static String stripTrailingSlashes(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}

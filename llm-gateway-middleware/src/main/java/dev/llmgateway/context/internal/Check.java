package dev.llmgateway.context.internal;

import dev.llmgateway.error.LlmConfigurationException;
import org.jspecify.annotations.Nullable;

/** Configuration checks that fail with an {@link LlmConfigurationException} naming the setting. */
public final class Check {
  private Check() {}

  public static void that(boolean condition, String message) {
    if (!condition) {
      throw new LlmConfigurationException(message);
    }
  }

  public static <T> T nonNull(@Nullable T value, String field) {
    if (value == null) {
      throw new LlmConfigurationException(field + " must not be null");
    }
    return value;
  }

  public static String nonBlank(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new LlmConfigurationException(field + " must not be blank");
    }
    return value;
  }

  public static int atLeast(int value, int min, String field) {
    that(value >= min, field + " must be at least " + min + ", was " + value);
    return value;
  }
}

package dev.llmgateway.guard.internal;

import dev.llmgateway.error.LlmConfigurationException;
import java.util.Collection;
import java.util.List;
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

  /** {@code value}, which must be finite and within [min, max]. */
  public static double within(double value, double min, double max, String field) {
    that(Double.isFinite(value) && value >= min && value <= max,
        field + " must be in [" + min + ", " + max + "], was " + value);
    return value;
  }

  public static int atLeast(int value, int min, String field) {
    that(value >= min, field + " must be at least " + min + ", was " + value);
    return value;
  }

  /** An unmodifiable copy, rejecting a null list or null elements by name. */
  public static <T> List<T> copyOf(@Nullable Collection<? extends T> values, String field) {
    nonNull(values, field);
    int i = 0;
    for (T value : values) {
      nonNull(value, field + "[" + i++ + "]");
    }
    return List.copyOf(values);
  }
}

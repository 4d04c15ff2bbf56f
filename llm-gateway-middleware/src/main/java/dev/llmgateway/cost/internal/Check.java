package dev.llmgateway.cost.internal;

import dev.llmgateway.error.LlmConfigurationException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

  /** An unmodifiable copy, rejecting a null collection or null elements by name. */
  public static <T> List<T> copyOf(@Nullable Collection<? extends T> values, String field) {
    nonNull(values, field);
    int i = 0;
    for (T value : values) {
      nonNull(value, field + "[" + i++ + "]");
    }
    return List.copyOf(values);
  }

  /** An unmodifiable copy, rejecting a null map or null keys or values by name. */
  public static <K, V> Map<K, V> copyOf(@Nullable Map<? extends K, ? extends V> values, String field) {
    nonNull(values, field);
    values.forEach((k, v) -> {
      nonNull(k, field + " key");
      nonNull(v, field + "[" + k + "]");
    });
    return Map.copyOf(values);
  }
}

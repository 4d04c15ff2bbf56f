package dev.llmgateway.gateway.internal;

import dev.llmgateway.error.LlmConfigurationException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration checks for every package of the middleware: each fails with an
 * {@link LlmConfigurationException} naming the setting, so a wrong builder call fails when the gateway
 * is configured, not on a call. (Checks of a caller's request belong to the API's own {@code Require},
 * which fails with an {@code InvalidRequestException}.)
 */
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

  /** {@code value}, which must be at least {@code min}. */
  public static int atLeast(int value, int min, String field) {
    that(value >= min, field + " must be at least " + min + ", was " + value);
    return value;
  }

  /** {@code value}, which must be finite and within [min, max]. */
  public static double within(double value, double min, double max, String field) {
    that(Double.isFinite(value) && value >= min && value <= max,
        field + " must be in [" + min + ", " + max + "], was " + value);
    return value;
  }

  /** {@code value}, which must be longer than zero. */
  public static Duration positive(@Nullable Duration value, String field) {
    nonNull(value, field);
    that(!value.isNegative() && !value.isZero(), field + " must be positive, was " + value);
    return value;
  }

  /** {@code value}, which must not be negative. */
  public static Duration notNegative(@Nullable Duration value, String field) {
    nonNull(value, field);
    that(!value.isNegative(), field + " must not be negative, was " + value);
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

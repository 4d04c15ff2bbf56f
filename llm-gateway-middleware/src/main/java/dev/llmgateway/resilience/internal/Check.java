package dev.llmgateway.resilience.internal;

import dev.llmgateway.error.LlmConfigurationException;
import java.time.Duration;
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

  /** {@code value}, which must be at least {@code min}. */
  public static int atLeast(int value, int min, String field) {
    that(value >= min, field + " must be >= " + min + ", was " + value);
    return value;
  }
}

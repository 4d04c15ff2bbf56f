package dev.llmgateway.internal;

import dev.llmgateway.error.InvalidRequestException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks that fail with an {@link InvalidRequestException} naming the offending field, so that
 * bad input surfaces in the library's own exception hierarchy rather than as a bare NPE.
 */
public final class Require {
  private Require() {}

  public static <T> T nonNull(@Nullable T value, String field) {
    if (value == null) {
      throw new InvalidRequestException(field + " must not be null");
    }
    return value;
  }

  public static String nonBlank(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(field + " must not be blank");
    }
    return value;
  }

  /** Copies {@code list} into an unmodifiable list, rejecting a null list or null elements by name. */
  public static <T> List<T> copyOf(@Nullable Collection<? extends T> list, String field) {
    if (list == null) {
      throw new InvalidRequestException(field + " must not be null");
    }
    int i = 0;
    for (T element : list) {
      if (element == null) {
        throw new InvalidRequestException(field + "[" + i + "] must not be null");
      }
      i++;
    }
    return List.copyOf(list);
  }

  /** Copies {@code map} into an unmodifiable map, rejecting a null map, null keys or null values by name. */
  public static <K, V> Map<K, V> copyOf(@Nullable Map<? extends K, ? extends V> map, String field) {
    if (map == null) {
      throw new InvalidRequestException(field + " must not be null");
    }
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidRequestException(field + " must not contain null keys or values");
      }
    }
    return Map.copyOf(map);
  }

  public static void check(boolean condition, String message) {
    if (!condition) {
      throw new InvalidRequestException(message);
    }
  }
}

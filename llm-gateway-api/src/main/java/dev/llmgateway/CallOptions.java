package dev.llmgateway;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-call settings that shape how the gateway handles a call but are never sent to the provider: a
 * deadline, and typed options for interceptors (cache policy, routing hints...).
 *
 * @param timeout the longest the whole call may take, retries included; null for no limit beyond the
 *     HTTP client's own timeouts
 * @param options typed options, read by interceptors with {@link #get(AttributeKey)}
 */
public record CallOptions(@Nullable Duration timeout, Map<AttributeKey<?>, Object> options) {

  /** No timeout and no options. */
  public static final CallOptions DEFAULT = new CallOptions(null, Map.of());

  public CallOptions {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new dev.llmgateway.error.InvalidRequestException("timeout must be positive, was " + timeout);
    }
    options = Map.copyOf(options);
  }

  public static CallOptions withTimeout(Duration timeout) {
    return new CallOptions(timeout, Map.of());
  }

  /** The option for {@code key}, or null. */
  public <T> @Nullable T get(AttributeKey<T> key) {
    Object value = options.get(key);
    return value == null ? null : key.cast(value);
  }

  /** A copy with {@code key} set to {@code value}. */
  public <T> CallOptions with(AttributeKey<T> key, T value) {
    Map<AttributeKey<?>, Object> copy = new HashMap<>(options);
    copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new CallOptions(timeout, copy);
  }
}

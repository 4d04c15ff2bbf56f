package dev.llmgateway;

import java.util.Objects;

/**
 * A typed key for values interceptors share through {@link CallContext} (the chosen deployment, the
 * estimated cost, the cache status). Keys compare by identity: declare each one once as a constant.
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {
  private final String name;
  private final Class<T> type;

  private AttributeKey(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    return new AttributeKey<>(name, type);
  }

  public String name() {
    return name;
  }

  T cast(Object value) {
    return type.cast(value);
  }

  @Override
  public String toString() {
    return "AttributeKey[" + name + "]";
  }
}

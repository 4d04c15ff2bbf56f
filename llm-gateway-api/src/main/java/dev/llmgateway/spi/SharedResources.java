package dev.llmgateway.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Objects every provider of one gateway shares, keyed by type: one HTTP client (connection pool,
 * dispatcher) and one JSON mapper per gateway rather than one per provider. The API module cannot name
 * those types, so it offers a typed registry; the host may put its own instances in before providers are
 * created. Values that are {@link AutoCloseable} and were created here are closed with the registry.
 */
public final class SharedResources implements AutoCloseable {
  private final Map<Class<?>, Object> values = new ConcurrentHashMap<>();
  private final List<AutoCloseable> owned = new ArrayList<>();

  /** Registers a host-owned instance; the registry will not close it. */
  public <T> SharedResources put(Class<T> type, T value) {
    values.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** The instance of {@code type}, creating it with {@code factory} the first time. */
  public <T> T computeIfAbsent(Class<T> type, Supplier<? extends T> factory) {
    Object value = values.computeIfAbsent(type, t -> {
      T created = Objects.requireNonNull(factory.get(), "factory returned null");
      if (created instanceof AutoCloseable c) {
        synchronized (owned) {
          owned.add(c);
        }
      }
      return created;
    });
    return type.cast(value);
  }

  @Override
  public void close() {
    synchronized (owned) {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing is best effort; a resource that fails to close holds nothing we can free
        }
      }
      owned.clear();
    }
  }
}

package dev.llmgateway.provider.openai.internal;

import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Several API keys of one provider, used in turn: each call takes the next key, round robin, so that the
 * load (and the provider's per-key rate limits) spread evenly over them. Thread-safe without locking: a
 * shared counter picks the key, so concurrent calls never take the same turn twice and no key is skipped.
 *
 * <p>Its {@link #toString()} shows how many keys there are, never a key.
 */
public final class KeyRotation {
  private final List<Secret> keys;
  private final AtomicLong turn = new AtomicLong();

  /** A rotation over {@code keys}, in their order; empty for a provider that sends no key. */
  public KeyRotation(List<Secret> keys) {
    this.keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
  }

  /** The key for the next call, or null when there are none. */
  public @Nullable Secret next() {
    if (keys.isEmpty()) {
      return null;
    }
    return keys.get((int) Math.floorMod(turn.getAndIncrement(), (long) keys.size()));
  }

  /** The keys, in rotation order; for scrubbing them from messages, never for logging. */
  public List<Secret> keys() {
    return keys;
  }

  public int size() {
    return keys.size();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  @Override
  public String toString() {
    return "KeyRotation[" + keys.size() + " keys]";
  }
}

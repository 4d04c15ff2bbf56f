package dev.llmgateway.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link SemanticIndex}: vectors in this JVM, bounded in total entries (the oldest evicted
 * first), each expiring after its TTL. Lookups are brute force: every live vector of the scope is compared,
 * so a lookup costs O(n * d) for n entries of the scope and d dimensions: about 0.4 million multiply-adds
 * for 1,000 entries of a 384-dimension model, well under a millisecond and far below the embedding call
 * that precedes it. Vectors are normalized when added, so similarity is one dot product.
 *
 * <p>Thread-safe (one lock; lookups are short).
 */
public final class InMemorySemanticIndex implements SemanticIndex {
  /** How many entries are kept by default, over all scopes: 1,000. */
  public static final int DEFAULT_MAXIMUM_SIZE = 1_000;
  /** The time source of expiry by default: {@link Ticker#systemTicker()}. */
  public static final Ticker DEFAULT_TICKER = Ticker.systemTicker();
  /** Vectors at least this similar are the same question: adding one replaces the other. */
  static final double SAME_QUESTION = 0.999_999;

  private static final class Item {
    final String scope;
    final float[] unit;
    final CacheEntry entry;
    final long expiresAt;

    Item(String scope, float[] unit, CacheEntry entry, long expiresAt) {
      this.scope = scope;
      this.unit = unit;
      this.entry = entry;
      this.expiresAt = expiresAt;
    }
  }

  private final int maximumSize;
  private final Ticker ticker;
  private final Map<String, List<Item>> byScope = new HashMap<>();
  private final ArrayDeque<Item> oldestFirst = new ArrayDeque<>();

  private InMemorySemanticIndex(Builder b) {
    this.maximumSize = b.maximumSize;
    this.ticker = b.ticker;
  }

  /** An index with the defaults. */
  public static InMemorySemanticIndex create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maximumSize() {
    return maximumSize;
  }

  public Ticker ticker() {
    return ticker;
  }

  /** How many entries are held (expired ones may still be counted until a lookup meets them). */
  public synchronized int size() {
    return oldestFirst.size();
  }

  @Override
  public synchronized @Nullable Match nearest(String scope, float[] vector, double minSimilarity) {
    List<Item> items = byScope.get(scope);
    if (items == null) {
      return null;
    }
    float[] unit = unit(vector);
    long now = ticker.read();
    Item best = null;
    double bestSimilarity = Double.NEGATIVE_INFINITY;
    for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
      Item item = it.next();
      if (now - item.expiresAt >= 0) {
        it.remove();
        oldestFirst.remove(item);
        continue;
      }
      if (item.unit.length != unit.length) {
        continue;
      }
      double similarity = dot(item.unit, unit);
      if (similarity > bestSimilarity) {
        best = item;
        bestSimilarity = similarity;
      }
    }
    if (items.isEmpty()) {
      byScope.remove(scope);
    }
    return best != null && bestSimilarity >= minSimilarity
        ? new Match(best.entry, Math.max(-1, Math.min(1, bestSimilarity))) : null;
  }

  @Override
  public synchronized void add(String scope, float[] vector, CacheEntry entry, Duration ttl) {
    Check.nonNull(scope, "scope");
    Check.nonNull(entry, "entry");
    Check.that(vector != null && vector.length > 0, "vector must not be empty");
    Check.positive(ttl, "ttl");
    float[] unit = unit(vector);
    List<Item> items = byScope.computeIfAbsent(scope, k -> new ArrayList<>());
    for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
      Item item = it.next();
      if (item.unit.length == unit.length && dot(item.unit, unit) >= SAME_QUESTION) {
        it.remove();
        oldestFirst.remove(item);
      }
    }
    long ttlNanos;
    try {
      ttlNanos = ttl.toNanos();
    } catch (ArithmeticException e) {
      ttlNanos = Long.MAX_VALUE / 2;
    }
    Item item = new Item(scope, unit, entry, ticker.read() + ttlNanos);
    items.add(item);
    oldestFirst.addLast(item);
    while (oldestFirst.size() > maximumSize) {
      Item evicted = oldestFirst.removeFirst();
      List<Item> scopeItems = byScope.get(evicted.scope);
      if (scopeItems != null) {
        scopeItems.remove(evicted);
        if (scopeItems.isEmpty()) {
          byScope.remove(evicted.scope);
        }
      }
    }
  }

  private static float[] unit(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += (double) v * v;
    }
    norm = Math.sqrt(norm);
    float[] unit = new float[vector.length];
    if (norm == 0) {
      return unit;
    }
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / norm);
    }
    return unit;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  @Override
  public String toString() {
    return "InMemorySemanticIndex[maximumSize=" + maximumSize + "]";
  }

  /** Builds an {@link InMemorySemanticIndex}. Not thread-safe. */
  public static final class Builder {
    private int maximumSize = DEFAULT_MAXIMUM_SIZE;
    private Ticker ticker = DEFAULT_TICKER;

    private Builder() {}

    /** The most entries kept over all scopes; at least 1. Defaults to {@link #DEFAULT_MAXIMUM_SIZE}. */
    public Builder maximumSize(int maximumSize) {
      Check.that(maximumSize >= 1, "maximumSize must be at least 1, was " + maximumSize);
      this.maximumSize = maximumSize;
      return this;
    }

    /** The time source of expiry. Defaults to {@link #DEFAULT_TICKER}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Check.nonNull(ticker, "ticker");
      return this;
    }

    public InMemorySemanticIndex build() {
      return new InMemorySemanticIndex(this);
    }
  }
}

package dev.llmgateway.gateway.internal;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.cache.CacheInterceptor;
import dev.llmgateway.cost.CallPricer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Side calls: requests an interceptor sends through the rest of the pipeline under the call's own
 * context (the prompt-injection classifier, the context-window summary). They pass the caches, which
 * record their outcome in the shared context ({@link CacheInterceptor#CACHE_STATUS},
 * {@link CallPricer#NOT_BILLED}); left there, a side call's cache hit would make the main call look like
 * a free cache hit to cost accounting and the ledger even when a provider answered it, or when it was
 * refused before reaching the cache. {@link #isolated} puts those attributes back as they were.
 */
public final class SideCalls {
  /** The attributes a side call must not leave on the main call. */
  private static final List<AttributeKey<?>> OUTCOME_KEYS =
      List.of(CacheInterceptor.CACHE_STATUS, CallPricer.NOT_BILLED);

  private SideCalls() {}

  /** Runs {@code call} and restores the call outcome attributes of {@code context} afterwards. */
  public static <T> T isolated(CallContext context, Supplier<T> call) {
    List<Runnable> restore = new ArrayList<>(OUTCOME_KEYS.size());
    for (AttributeKey<?> key : OUTCOME_KEYS) {
      restore.add(snapshot(context, key));
    }
    try {
      return call.get();
    } finally {
      restore.forEach(Runnable::run);
    }
  }

  /** What puts {@code key} of {@code context} back to its value now (or to absent). */
  private static <T> Runnable snapshot(CallContext context, AttributeKey<T> key) {
    T value = context.get(key);
    return value == null ? () -> context.remove(key) : () -> context.put(key, value);
  }
}

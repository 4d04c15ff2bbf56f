package dev.llmgateway.cache.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.error.CallCancelledException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Request coalescing: the calls currently fetching each key. The first miss on a key becomes its leader
 * and calls upstream; identical calls arriving meanwhile wait for the leader's answer instead. A leader
 * that fails completes its future with null: each follower then tries again on its own (one of them
 * becomes the next leader), so one transient failure does not fail every waiting call, nor do they all
 * stampede upstream at once.
 */
public final class InFlight {
  private final ConcurrentHashMap<String, CompletableFuture<@Nullable ChatResponse>> calls =
      new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();

  /** A leadership of one key; complete it exactly once, then {@link #release}. */
  public static final class Lead {
    final String key;
    final CompletableFuture<@Nullable ChatResponse> future;

    Lead(String key, CompletableFuture<@Nullable ChatResponse> future) {
      this.key = key;
      this.future = future;
    }
  }

  /** Becomes the leader of {@code key}, or returns null when another call already leads it. */
  public @Nullable Lead tryLead(String key) {
    CompletableFuture<@Nullable ChatResponse> mine = new CompletableFuture<>();
    return calls.putIfAbsent(key, mine) == null ? new Lead(key, mine) : null;
  }

  /** The leader's future for {@code key}, or null when none is in flight. */
  public @Nullable CompletableFuture<@Nullable ChatResponse> leader(String key) {
    return calls.get(key);
  }

  /** Hands {@code response} (null: the leader failed) to the followers and ends the leadership. */
  public void release(Lead lead, @Nullable ChatResponse response) {
    calls.remove(lead.key, lead.future);
    lead.future.complete(response);
  }

  /** How many calls are waiting for a leader right now (for tests and metrics). */
  public int waiting() {
    return waiting.get();
  }

  /** How many keys are being fetched (for tests). */
  public int size() {
    return calls.size();
  }

  /**
   * Waits for a leader's answer; null when the leader failed or had no answer to share.
   *
   * @throws CallCancelledException when this call is cancelled or its thread interrupted while waiting
   */
  public @Nullable ChatResponse await(CompletableFuture<@Nullable ChatResponse> leader,
      CallContext context) {
    CompletableFuture<@Nullable ChatResponse> mine = leader.copy();
    context.onCancel(() -> mine.cancel(false));
    waiting.incrementAndGet();
    try {
      return mine.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallCancelledException("interrupted while waiting for an identical call in flight");
    } catch (CancellationException e) {
      throw new CallCancelledException("the call " + context.callId()
          + " was cancelled while waiting for an identical call in flight");
    } catch (ExecutionException e) {
      return null; // leaders never complete exceptionally; treat it as a failed leader anyway
    } finally {
      waiting.decrementAndGet();
    }
  }
}

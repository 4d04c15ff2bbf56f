package dev.llmgateway.resilience.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Concurrent attempts of one call, each under its own {@link CallContext#fork()}: the first success wins
 * and the other attempts are cancelled (their HTTP calls aborted); an answer that arrives after the win
 * is discarded (a stream closed). When every attempt failed, the failure of the attempt that started
 * first is reported, the others attached as suppressed.
 *
 * @param <T> the answer: a response, or a stream pulled up to its first answer chunk
 */
public final class HedgedRace<T> {
  private final CallContext call;
  private final Consumer<T> discard;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final List<CallContext> attempts = new ArrayList<>();
  private final Map<CallContext, LlmException> failures = new IdentityHashMap<>();
  private int running;
  private boolean closed;
  private boolean decided;

  public HedgedRace(CallContext call, Consumer<T> discard) {
    this.call = call;
    this.discard = discard;
  }

  /** The context of a new attempt, or null when the race is decided or over and none may start. */
  public synchronized @Nullable CallContext begin() {
    if (closed || result.isDone() || call.isCancelled()) {
      return null;
    }
    CallContext attempt = call.fork();
    attempts.add(attempt);
    running++;
    return attempt;
  }

  /** How many attempts started. */
  public synchronized int started() {
    return attempts.size();
  }

  /** Whether {@code attempt} won; the call's answer is its value. */
  public boolean succeeded(CallContext attempt, T value) {
    List<CallContext> losers = new ArrayList<>();
    boolean won;
    synchronized (this) {
      running--;
      won = !decided && !result.isDone();
      if (won) {
        decided = true;
        closed = true;
        for (CallContext other : attempts) {
          if (other != attempt) {
            losers.add(other);
          }
        }
      }
    }
    if (!won) {
      discard.accept(value);
      return false;
    }
    losers.forEach(CallContext::cancel); // before the caller sees the answer
    result.complete(value);
    return true;
  }

  /** {@code attempt} failed; when no attempt is left running, the race fails. */
  public void failed(CallContext attempt, Throwable error) {
    LlmException first = null;
    Throwable bug = null;
    synchronized (this) {
      running--;
      if (error instanceof LlmException e) {
        failures.put(attempt, e);
      } else {
        bug = error;
      }
      if (decided || result.isDone() || (bug == null && running > 0)) {
        return; // a winner (or an earlier failure) decided already, or another attempt may still win
      }
      decided = true;
      closed = true;
      if (bug == null) {
        for (CallContext started : attempts) { // in the order the attempts started
          LlmException failure = failures.get(started);
          if (failure == null) {
            continue;
          }
          if (first == null) {
            first = failure;
          } else if (failure != first) {
            first.addSuppressed(failure);
          }
        }
      }
    }
    if (bug != null) {
      cancelAll();
      result.completeExceptionally(bug);
      return;
    }
    result.completeExceptionally(first);
  }

  /** Cancels every attempt; for when the caller stops waiting. */
  public void cancelAll() {
    List<CallContext> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(attempts);
    }
    all.forEach(CallContext::cancel);
  }

  /** Waits for the race to be decided: the winner's answer, or the failure. */
  public T await() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelAll();
      throw new CallCancelledException("the call " + call.callId() + " was interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}

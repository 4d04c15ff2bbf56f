package dev.llmgateway.gateway.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Cost;
import dev.llmgateway.Usage;
import dev.llmgateway.cache.CacheInterceptor;
import dev.llmgateway.cache.CacheStatus;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.routing.AttemptLog;
import dev.llmgateway.routing.RouterInterceptor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Reports a call's end to the listener and stops its deadline: for blocking calls through
 * {@link #completed}/{@link #failed}, for streams by wrapping the outermost stream. The answer it reports
 * (and, for a blocking call, returns) carries the router's attempts, the call's cost and, for a cache
 * hit, the cache's description of it.
 */
public final class ObservedCall {
  private final CallContext context;
  private final Deadline deadline;
  private final long startNanos = System.nanoTime();

  public ObservedCall(CallContext context, Deadline deadline) {
    this.context = context;
    this.deadline = deadline;
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /**
   * Reports the answer and returns it as the caller should see it: with the router's record of the
   * call's attempts, when the router ran, and its cost, when an accounting interceptor priced it.
   */
  public ChatResponse completed(ChatResponse response) {
    deadline.stop();
    response = finished(context, response);
    if (!response.usage().equals(Usage.ZERO)) {
      context.events().onUsage(context, response.usage());
    }
    context.events().onCallEnd(context, response, elapsed());
    return response;
  }

  /**
   * {@code response} as the caller should see it at the end of the call: with its attempts
   * ({@link #withAttempts}), its cost ({@link #withCost}) and, when a cache answered, how
   * ({@link #withCache}).
   */
  public static ChatResponse finished(CallContext context, ChatResponse response) {
    return withCache(context, withCost(context, withAttempts(context, response)));
  }

  /**
   * {@code response} with the cache's description of the hit ({@link CacheInterceptor#CACHE_STATUS})
   * when a cache interceptor answered the call; {@code response} itself otherwise.
   */
  public static ChatResponse withCache(CallContext context, ChatResponse response) {
    CacheStatus status = context.get(CacheInterceptor.CACHE_STATUS);
    if (status == null || status.hit() == null) {
      return response;
    }
    return response.withCache(status.hit());
  }

  /**
   * {@code response} with the call's cost ({@link CostInterceptor#COST}, set by the cost, accounting and
   * budget interceptors) in place of its own; {@code response} itself when the call was not priced (no
   * such interceptor, or a model without a known price).
   */
  public static ChatResponse withCost(CallContext context, ChatResponse response) {
    Cost cost = context.get(CostInterceptor.COST);
    if (cost == null) {
      return response;
    }
    return response.withCost(cost);
  }

  /**
   * {@code response} with the call's attempts ({@link RouterInterceptor#ATTEMPTS}) in place of its own;
   * {@code response} itself when the router recorded none (the model named no group).
   */
  public static ChatResponse withAttempts(CallContext context, ChatResponse response) {
    AttemptLog log = context.get(RouterInterceptor.ATTEMPTS);
    if (log == null || log.size() == 0) {
      return response;
    }
    return response.withAttempts(log.attempts());
  }

  /** Reports the failure and returns the exception the caller should see. */
  public LlmException failed(LlmException error) {
    deadline.stop();
    LlmException reported = deadline.translate(error);
    context.events().onCallFailed(context, reported, elapsed());
    return reported;
  }

  /** Stops the deadline of a call that ended with a host bug (not an {@link LlmException}). */
  public void abandon() {
    deadline.stop();
  }

  /** Wraps the stream the pipeline returned so its first chunk and its end are reported. */
  public ChatStream observe(ChatStream stream) {
    AtomicBoolean first = new AtomicBoolean(true);
    ChatStream observed = stream
        .peek(chunk -> {
          if (first.compareAndSet(true, false)) {
            context.events().onFirstChunk(context, elapsed());
          }
        })
        .observeEnd(new ChatStream.StreamObserver() {
          @Override
          public void onComplete(ChatResponse response) {
            completed(response);
          }

          @Override
          public void onError(LlmException error, ChatResponse partial) {
            failed(error);
          }

          @Override
          public void onClosedEarly(ChatResponse partial) {
            failed(new CallCancelledException("the stream was closed before its end"));
          }
        });
    return new ChatStream() {
      @Override
      public @Nullable ChatChunk next() {
        try {
          return observed.next();
        } catch (LlmException e) {
          throw deadline.translate(e);
        }
      }

      @Override
      public void close() {
        observed.close();
      }

      /**
       * The assembled answer as a blocking call would return it: with the attempts, the cost and the
       * cache information the call's interceptors recorded by the stream's end.
       */
      @Override
      public ChatResponse collect() {
        return finished(context, ChatStream.super.collect());
      }
    };
  }
}

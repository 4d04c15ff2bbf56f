package dev.llmgateway.cost.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.cost.CallOutcome;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rest of the chain and reports how the call ended, exactly once, whatever happens: a blocking
 * answer or failure, a stream that completed, failed, was closed early, or never opened. The accounting
 * interceptors build on it so that none of them can miss an ending (and leak a reservation).
 *
 * <p>A handler that throws is logged and ignored: accounting never takes an answer away from the caller.
 */
public final class CallEnds {
  private static final Logger LOG = LoggerFactory.getLogger(CallEnds.class);

  /** Told once how a call ended. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @param response the answer; for a stream, what arrived (partial unless it succeeded); null when
     *     nothing came back
     * @param error why the call failed; null when it succeeded or its stream was closed early
     */
    void onEnd(CallContext context, @Nullable ChatResponse response, CallOutcome outcome,
        @Nullable Throwable error);
  }

  private CallEnds() {}

  /** {@code chain.proceed(request)}, reporting the end to {@code handler}. */
  public static ChatResponse blocking(ChatRequest request, Interceptor.Chain chain, Handler handler) {
    CallContext context = chain.context();
    ChatResponse response;
    try {
      response = chain.proceed(request);
    } catch (RuntimeException | Error e) {
      report(handler, context, null, outcomeOf(e, context), e);
      throw e;
    }
    report(handler, context, response, CallOutcome.SUCCEEDED, null);
    return response;
  }

  /** {@code chain.proceed(request)}, its stream wrapped to report the end to {@code handler}. */
  public static ChatStream streaming(ChatRequest request, Interceptor.StreamChain chain,
      Handler handler) {
    CallContext context = chain.context();
    ChatStream stream;
    try {
      stream = chain.proceed(request);
    } catch (RuntimeException | Error e) {
      report(handler, context, null, outcomeOf(e, context), e);
      throw e;
    }
    return stream.observeEnd(new ChatStream.StreamObserver() {
      @Override
      public void onComplete(ChatResponse response) {
        report(handler, context, response, CallOutcome.SUCCEEDED, null);
      }

      @Override
      public void onError(LlmException error, ChatResponse partial) {
        report(handler, context, partial, outcomeOf(error, context), error);
      }

      @Override
      public void onClosedEarly(ChatResponse partial) {
        report(handler, context, partial, CallOutcome.CANCELLED, null);
      }
    });
  }

  private static CallOutcome outcomeOf(Throwable error, CallContext context) {
    return error instanceof CallCancelledException || context.isCancelled()
        ? CallOutcome.CANCELLED : CallOutcome.FAILED;
  }

  private static void report(Handler handler, CallContext context, @Nullable ChatResponse response,
      CallOutcome outcome, @Nullable Throwable error) {
    try {
      handler.onEnd(context, response, outcome, error);
    } catch (RuntimeException e) {
      LOG.error("accounting of call {} failed; the call itself is unaffected", context.callId(), e);
    }
  }
}

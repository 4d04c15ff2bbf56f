package dev.llmgateway.gateway.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import java.util.List;
import java.util.Objects;

/**
 * One step of the pipeline, for blocking and streaming calls alike. Immutable: {@code proceed} builds the
 * next step (index + 1) afresh, so an interceptor may proceed as often as it likes (retry, fallback,
 * hedging) and a chain is never used up.
 */
public final class InterceptorChain implements Interceptor.Chain {
  private final List<Interceptor> interceptors;
  private final int index;
  private final CallContext context;
  private final ProviderCall terminal;

  public InterceptorChain(List<Interceptor> interceptors, int index, CallContext context,
      ProviderCall terminal) {
    this.interceptors = interceptors;
    this.index = index;
    this.context = context;
    this.terminal = terminal;
  }

  @Override
  public CallContext context() {
    return context;
  }

  /** This step under {@code attempt}, a fork of this chain's context (hedging, per-attempt timers). */
  @Override
  public InterceptorChain withContext(CallContext attempt) {
    Objects.requireNonNull(attempt, "context passed to withContext");
    if (attempt != context && !attempt.callId().equals(context.callId())) {
      throw new IllegalArgumentException("withContext needs a fork of this call's context " + context
          + ", got " + attempt);
    }
    return new InterceptorChain(interceptors, index, attempt, terminal);
  }

  @Override
  public ChatResponse proceed(ChatRequest request) {
    Objects.requireNonNull(request, "request passed to proceed");
    context.throwIfCancelled();
    if (index == interceptors.size()) {
      return terminal.chat(request, context);
    }
    Interceptor interceptor = interceptors.get(index);
    ChatResponse response = interceptor.intercept(request, next());
    if (response == null) {
      throw new IllegalStateException(
          "interceptor " + describe(interceptor) + " returned null from intercept");
    }
    return response;
  }

  /** The streaming twin of {@link #proceed(ChatRequest)}; a separate name because Java cannot overload on return type. */
  ChatStream proceedStream(ChatRequest request) {
    Objects.requireNonNull(request, "request passed to proceed");
    context.throwIfCancelled();
    if (index == interceptors.size()) {
      return terminal.stream(request, context);
    }
    Interceptor interceptor = interceptors.get(index);
    ChatStream stream = interceptor.interceptStream(request, next().asStreamChain());
    if (stream == null) {
      throw new IllegalStateException(
          "interceptor " + describe(interceptor) + " returned null from interceptStream");
    }
    return stream;
  }

  private InterceptorChain next() {
    return new InterceptorChain(interceptors, index + 1, context, terminal);
  }

  /** This step seen as a {@link Interceptor.StreamChain}. */
  public Interceptor.StreamChain asStreamChain() {
    InterceptorChain self = this;
    return new Interceptor.StreamChain() {
      @Override
      public ChatStream proceed(ChatRequest request) {
        return self.proceedStream(request);
      }

      @Override
      public CallContext context() {
        return context;
      }

      @Override
      public Interceptor.StreamChain withContext(CallContext attempt) {
        return self.withContext(attempt).asStreamChain();
      }
    };
  }

  private static String describe(Interceptor interceptor) {
    String name = interceptor.getClass().getName();
    return interceptor.getClass().isSynthetic() || name.contains("$$Lambda")
        ? "(lambda " + name + ")" : name;
  }
}

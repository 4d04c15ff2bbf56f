package dev.llmgateway;

import dev.llmgateway.error.UnsupportedFeatureException;

/**
 * A step of the gateway's pipeline, modelled on OkHttp's interceptors. It receives the request and the
 * rest of the chain, and returns what {@code chain.proceed(request)} returns, possibly changed. It may
 * rewrite the request, answer without proceeding (a cache hit, a guard refusal), or proceed more than
 * once (retry, fallback, hedging): each chain step is immutable, so a chain is never "used up".
 *
 * <p>Streams go through the same interceptors. {@link #interceptStream} wraps the {@link ChatStream} the
 * chain returns. Its default refuses streams loudly instead of silently passing them through, because a
 * redaction or moderation step skipped on the streaming path is a data leak; an interceptor that only
 * touches the request should implement {@link RequestInterceptor} instead, which covers both modes.
 *
 * <pre>{@code
 * Interceptor timing = (request, chain) -> {
 *   long start = System.nanoTime();
 *   ChatResponse response = chain.proceed(request);
 *   log.info("{} took {} ms", request.model(), (System.nanoTime() - start) / 1_000_000);
 *   return response;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Interceptor {

  /** Handles a blocking (or async) call. Must not return null. */
  ChatResponse intercept(ChatRequest request, Chain chain);

  /**
   * Handles a streaming call. Must not return null. The default throws
   * {@link UnsupportedFeatureException}: override it to support streams.
   */
  default ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    throw new UnsupportedFeatureException("interceptor " + getClass().getName()
        + " supports only blocking calls; implement interceptStream to use it with streams");
  }

  /** The rest of the pipeline for a blocking call. */
  interface Chain {
    /** Runs the remaining interceptors and the provider call. May be called more than once. */
    ChatResponse proceed(ChatRequest request);

    /** The call's context: options, attributes, listener, cancellation. */
    CallContext context();

    /**
     * This step of the chain run under {@code context} instead, a {@link CallContext#fork()} of
     * {@link #context()}: what the rest of the pipeline starts can then be cancelled without cancelling
     * the call (one of two hedged attempts, an attempt under a timer). The default refuses; the
     * gateway's own chain supports it.
     *
     * @throws UnsupportedFeatureException when this chain cannot switch contexts
     */
    default Chain withContext(CallContext context) {
      throw new UnsupportedFeatureException("chain " + getClass().getName()
          + " cannot run the rest of the pipeline under a forked context");
    }
  }

  /** The rest of the pipeline for a streaming call. */
  interface StreamChain {
    /** Runs the remaining interceptors and opens the provider stream. May be called more than once. */
    ChatStream proceed(ChatRequest request);

    CallContext context();

    /**
     * The streaming twin of {@link Chain#withContext}: this step run under {@code context}, a
     * {@link CallContext#fork()} of {@link #context()}.
     *
     * @throws UnsupportedFeatureException when this chain cannot switch contexts
     */
    default StreamChain withContext(CallContext context) {
      throw new UnsupportedFeatureException("chain " + getClass().getName()
          + " cannot run the rest of the pipeline under a forked context");
    }
  }
}

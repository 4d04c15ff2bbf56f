package dev.llmgateway;

import java.util.Objects;

/**
 * An interceptor that only rewrites the request, and so applies to blocking and streaming calls alike.
 * Small enough for a lambda:
 *
 * <pre>{@code
 * RequestInterceptor tagTenant = (request, context) ->
 *     request.toBuilder().metadata(request.metadata().withTenant("acme")).build();
 * }</pre>
 */
@FunctionalInterface
public interface RequestInterceptor extends Interceptor {

  /** Returns the request to send on; {@code request} itself to leave it unchanged. Never null. */
  ChatRequest rewrite(ChatRequest request, CallContext context);

  @Override
  default ChatResponse intercept(ChatRequest request, Chain chain) {
    return chain.proceed(checked(rewrite(request, chain.context())));
  }

  @Override
  default ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    return chain.proceed(checked(rewrite(request, chain.context())));
  }

  private ChatRequest checked(ChatRequest rewritten) {
    return Objects.requireNonNull(rewritten,
        () -> "request interceptor " + getClass().getName() + " returned null");
  }
}

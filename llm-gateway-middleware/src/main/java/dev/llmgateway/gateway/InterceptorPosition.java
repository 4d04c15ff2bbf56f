package dev.llmgateway.gateway;

/**
 * Where an interceptor the host adds with
 * {@link LlmGatewayBuilder#addInterceptor(InterceptorPosition, dev.llmgateway.Interceptor)} sits relative
 * to the built-in interceptors the builder installs for context windows, caching, routing and resilience. Interceptors at the same
 * position keep the order they were added in, the first added outermost. The pipeline, outermost first
 * (each built-in present only when configured):
 *
 * <ol>
 *   <li>{@link #OUTERMOST}: the host's interceptors ({@link LlmGatewayBuilder#addInterceptor(dev.llmgateway.Interceptor)})
 *   <li>the context window ({@link LlmGatewayBuilder#contextWindow})
 *   <li>the exact cache, then the semantic cache ({@link LlmGatewayBuilder#cache},
 *       {@link LlmGatewayBuilder#semanticCache(String, java.util.function.Consumer)})
 *   <li>the whole-call timeout ({@link LlmGatewayBuilder#timeouts})
 *   <li>hedging ({@link LlmGatewayBuilder#hedging})
 *   <li>{@link #BEFORE_ROUTER}
 *   <li>the router ({@link LlmGatewayBuilder#modelGroup}, {@link LlmGatewayBuilder#routing})
 *   <li>{@link #AFTER_ROUTER}
 *   <li>retries ({@link LlmGatewayBuilder#retries})
 *   <li>the first-token and idle timeouts, per attempt ({@link LlmGatewayBuilder#timeouts})
 *   <li>{@link #BEFORE_PROVIDER}
 *   <li>the provider call
 * </ol>
 *
 * <p>Why the host's interceptors are outermost by default: guards, redaction, limits and caches (the
 * design's steps before the router) must run once per call, before anything is spent, and see the final
 * answer however many deployments were tried to get it.
 */
public enum InterceptorPosition {
  /**
   * Outside every built-in: runs once per call, sees the request as the caller sent it (the model is the
   * alias or group name) and the final answer or failure. The default.
   */
  OUTERMOST,
  /**
   * Inside the whole-call timeout and hedging, just outside the router: runs once per routing of the call
   * (twice for a hedged call, once per attempt), still seeing the model the caller named.
   */
  BEFORE_ROUTER,
  /**
   * Just inside the router, outside the retries: runs once per deployment tried; the request's model is
   * the deployment's {@code provider/model}, and {@link dev.llmgateway.routing.RouterInterceptor#DEPLOYMENT}
   * in the call's context names the deployment.
   */
  AFTER_ROUTER,
  /**
   * Innermost, just before the provider call: runs once per request sent to a provider, each retry
   * included, under the per-attempt timeouts.
   */
  BEFORE_PROVIDER
}

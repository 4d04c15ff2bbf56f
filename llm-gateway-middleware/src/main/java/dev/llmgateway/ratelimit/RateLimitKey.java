package dev.llmgateway.ratelimit;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.ratelimit.internal.KeyHash;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.RouterInterceptor;
import org.jspecify.annotations.Nullable;

/**
 * Which counter a call counts against: calls with the same key share a {@link RateLimit}'s budget of
 * requests and tokens; a call whose key is null is not limited by it. Small enough for a lambda:
 *
 * <pre>{@code
 * RateLimitKey perTenantAndModel = (request, context) ->
 *     request.metadata().tenant() == null ? null : request.metadata().tenant() + "|" + request.model();
 * }</pre>
 *
 * <p>Keys go into store keys, never into error messages or logs: a key may be a caller's API key.
 */
@FunctionalInterface
public interface RateLimitKey {

  /** The key of {@code request}; null when the limit does not apply to it. */
  @Nullable String keyFor(ChatRequest request, CallContext context);

  /** One counter for every call. */
  static RateLimitKey global() {
    return (request, context) -> "*";
  }

  /** Per tenant ({@code metadata.tenant}); calls without one are not limited. */
  static RateLimitKey tenant() {
    return (request, context) -> request.metadata().tenant();
  }

  /** Per end user ({@code metadata.user}); calls without one are not limited. */
  static RateLimitKey user() {
    return (request, context) -> request.metadata().user();
  }

  /** Per application ({@code metadata.application}); calls without one are not limited. */
  static RateLimitKey application() {
    return (request, context) -> request.metadata().application();
  }

  /** Per value of the tag {@code key}; calls without it are not limited. */
  static RateLimitKey tag(String key) {
    Check.nonBlank(key, "tag key");
    return (request, context) -> request.metadata().tags().get(key);
  }

  /** Per model name as the request gives it (an alias, a group or {@code provider/model}). */
  static RateLimitKey model() {
    return (request, context) -> request.model();
  }

  /**
   * Per router deployment ({@link RouterInterceptor#DEPLOYMENT}). The deployment is chosen by the router,
   * so a limit with this key must sit inside it: add its interceptor after the
   * {@link RouterInterceptor}. Calls without a deployment are not limited.
   */
  static RateLimitKey deployment() {
    return (request, context) -> {
      Deployment deployment = context.get(RouterInterceptor.DEPLOYMENT);
      return deployment == null ? null : deployment.id();
    };
  }

  /**
   * Per value of a typed call option, e.g. the caller's API key passed in
   * {@link dev.llmgateway.CallOptions} (never sent to the provider); calls without it are not limited.
   * The value is hashed (SHA-256) before it becomes part of a store key, so that a shared store never
   * holds callers' keys.
   */
  static RateLimitKey callOption(AttributeKey<String> option) {
    Check.nonNull(option, "option");
    return (request, context) -> {
      String value = context.options().get(option);
      return value == null ? null : KeyHash.sha256(value);
    };
  }
}

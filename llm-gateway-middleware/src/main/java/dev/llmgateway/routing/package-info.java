/**
 * Routing: one model alias served by several deployments. A {@link dev.llmgateway.routing.ModelGroup}
 * (such as {@code "fast"}) names its {@link dev.llmgateway.routing.Deployment}s, the
 * {@link dev.llmgateway.routing.RoutingStrategy} that picks one per call, and the groups to fall back to.
 * The {@link dev.llmgateway.routing.RouterInterceptor} applies them: it filters out deployments that cannot
 * take the call (context window, in-flight limit, cooldown), picks one, rewrites the request's model to
 * the deployment's target, and on failure moves on to the next deployment or group.
 *
 * <p>See {@code docs/routing.md} for configuration examples and the fallback rules.
 */
@NullMarked
package dev.llmgateway.routing;

import org.jspecify.annotations.NullMarked;

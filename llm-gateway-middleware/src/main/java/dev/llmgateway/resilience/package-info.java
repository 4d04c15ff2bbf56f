/**
 * Resilience: what keeps one call alive when a provider stumbles, and bounded when it hangs.
 *
 * <ul>
 *   <li>{@link dev.llmgateway.resilience.RetryInterceptor}, configured by a
 *       {@link dev.llmgateway.resilience.RetryPolicy}: exponential backoff with full jitter, the
 *       {@code retry-after} of each failed attempt, a retry count per error class, limits on attempts and
 *       time, and never past the caller's deadline. Streams are retried only before their first chunk.
 *   <li>{@link dev.llmgateway.resilience.CircuitBreakerHealth}, configured by a
 *       {@link dev.llmgateway.resilience.CircuitBreakerPolicy}: one Resilience4j circuit breaker per
 *       deployment behind the router's {@link dev.llmgateway.routing.DeploymentHealth}, so a failing
 *       deployment leaves the rotation and is probed back in.
 *   <li>{@link dev.llmgateway.resilience.TimeoutInterceptor}, configured by
 *       {@link dev.llmgateway.resilience.TimeoutPolicy} per group and per request: whole call, time to first
 *       token, idle time between chunks.
 *   <li>{@link dev.llmgateway.resilience.HedgingInterceptor}, configured by
 *       {@link dev.llmgateway.resilience.HedgePolicy} per group: a second attempt when the first is slow,
 *       the first answer wins and the other is cancelled.
 * </ul>
 *
 * <p>See {@code docs/resilience.md} for the order to install them in and configuration examples.
 */
@NullMarked
package dev.llmgateway.resilience;

import org.jspecify.annotations.NullMarked;

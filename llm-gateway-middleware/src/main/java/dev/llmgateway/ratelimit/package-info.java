/**
 * Rate limits of the gateway's own: requests and tokens per minute (or another window), per key (a
 * tenant, user, application, tag, model, deployment, a caller's API key or everyone), enforced by the
 * {@link dev.llmgateway.ratelimit.RateLimitInterceptor} before calls are sent, either by waiting (bounded)
 * or by refusing with a {@link dev.llmgateway.error.RateLimitedException} that says when to retry.
 * Counters live in a {@link dev.llmgateway.ratelimit.RateLimitStore}: in memory by default, in Redis to
 * share limits across instances.
 *
 * <p>See {@code docs/cost-and-budgets.md}.
 */
@NullMarked
package dev.llmgateway.ratelimit;

import org.jspecify.annotations.NullMarked;

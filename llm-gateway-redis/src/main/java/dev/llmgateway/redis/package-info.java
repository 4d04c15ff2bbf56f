/**
 * Budget and rate-limit stores on a Redis server, so that many instances of an application share one
 * budget and one limit: {@link dev.llmgateway.redis.RedisBudgetStore} and
 * {@link dev.llmgateway.redis.RedisRateLimitStore} implement the middleware's store interfaces, each
 * mutating operation as one atomic Lua script. What happens while Redis cannot be reached is a
 * {@link dev.llmgateway.redis.RedisFailureMode}.
 *
 * <p>See {@code docs/cost-and-budgets.md}, "Many instances: Redis".
 */
@NullMarked
package dev.llmgateway.redis;

import org.jspecify.annotations.NullMarked;

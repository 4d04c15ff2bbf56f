/**
 * Budget and rate-limit stores on a Redis server, so that many instances of an application share one
 * budget and one limit: {@link dev.llmgateway.redis.RedisBudgetStore} and
 * {@link dev.llmgateway.redis.RedisRateLimitStore} implement the middleware's store interfaces, each
 * mutating operation as one atomic Lua script. What happens while Redis cannot be reached is a
 * {@link dev.llmgateway.redis.RedisFailureMode}. {@link dev.llmgateway.redis.RedisSemanticIndex} shares
 * the semantic cache's questions and answers the same way (a Redis outage is a miss there, never an error),
 * and {@link dev.llmgateway.redis.RedisCooldownHealth} the router's cooldowns (a Redis outage falls back on
 * each instance's own cooldowns).
 *
 * <p>See {@code docs/cost-and-budgets.md}, "Many instances: Redis".
 */
@NullMarked
package dev.llmgateway.redis;

import org.jspecify.annotations.NullMarked;

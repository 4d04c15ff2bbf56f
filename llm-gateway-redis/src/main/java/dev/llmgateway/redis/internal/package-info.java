/** Implementation detail of the Redis stores: script loading and running, outage handling. Not API. */
@NullMarked
package dev.llmgateway.redis.internal;

import org.jspecify.annotations.NullMarked;

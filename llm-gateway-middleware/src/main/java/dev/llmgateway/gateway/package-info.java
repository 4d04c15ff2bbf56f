/**
 * The gateway itself: {@link dev.llmgateway.gateway.LlmGateway}, a thread-safe
 * {@link dev.llmgateway.ChatClient} that runs every call through the configured interceptors to a
 * provider, and its builder.
 */
@NullMarked
package dev.llmgateway.gateway;

import org.jspecify.annotations.NullMarked;

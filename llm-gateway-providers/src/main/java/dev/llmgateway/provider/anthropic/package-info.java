/**
 * The adapter for Anthropic's Messages API ({@code POST /v1/messages}):
 * {@link dev.llmgateway.provider.anthropic.AnthropicChatProvider}, configured with its builder or created
 * by {@link dev.llmgateway.provider.anthropic.AnthropicProviderFactory} through
 * {@link java.util.ServiceLoader}.
 */
@NullMarked
package dev.llmgateway.provider.anthropic;

import org.jspecify.annotations.NullMarked;

/**
 * The Chat Completions wire format and the machinery every adapter of it shares (OpenAI and its
 * compatible presets, Azure OpenAI, Mistral): request encoding in a provider's dialect, response and
 * stream decoding, error mapping, per-call key rotation, authentication, and the client, provider and
 * builder bases configured by a {@link dev.llmgateway.provider.openai.internal.ChatCompletionsConfig}.
 * Public so that those adapters, in other packages, can use it; not part of the public API, and it may
 * change in any release.
 */
@NullMarked
package dev.llmgateway.provider.openai.internal;

import org.jspecify.annotations.NullMarked;

/**
 * The OpenAI Chat Completions adapter ({@link dev.llmgateway.provider.openai.OpenAiChatProvider}), which
 * also serves OpenAI-compatible servers (vLLM, llama.cpp, Groq, DeepSeek...) given their base URL; the
 * named configurations of those servers ({@link dev.llmgateway.provider.openai.OpenAiCompatiblePreset});
 * and the {@link dev.llmgateway.spi.ChatProviderFactory}s of both for {@link java.util.ServiceLoader}
 * discovery.
 */
@NullMarked
package dev.llmgateway.provider.openai;

import org.jspecify.annotations.NullMarked;

/**
 * The OpenAI Chat Completions adapter ({@link dev.llmgateway.provider.openai.OpenAiChatProvider}), which
 * also serves OpenAI-compatible servers (vLLM, llama.cpp, Groq, DeepSeek...) given their base URL, and
 * its {@link dev.llmgateway.spi.ChatProviderFactory} for {@link java.util.ServiceLoader} discovery.
 */
@NullMarked
package dev.llmgateway.provider.openai;

import org.jspecify.annotations.NullMarked;

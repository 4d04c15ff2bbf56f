/**
 * The Mistral adapter ({@link dev.llmgateway.provider.mistral.MistralChatProvider}): Mistral's Chat
 * Completions API, OpenAI-shaped but strict about fields, and its
 * {@link dev.llmgateway.spi.ChatProviderFactory} for {@link java.util.ServiceLoader} discovery.
 */
@NullMarked
package dev.llmgateway.provider.mistral;

import org.jspecify.annotations.NullMarked;

/**
 * The OpenAI Responses API adapter ({@link dev.llmgateway.provider.openai.responses.OpenAiResponsesChatProvider},
 * {@code POST {baseUrl}/responses}): a second wire for OpenAI models next to Chat Completions, for models
 * that need it or work better on it (reasoning models whose encrypted reasoning must be carried between
 * turns, models served only there). Selected per deployment: by the model string
 * {@code openai-responses/<model>}, or by registering the provider under a name of one's own. Its
 * {@link dev.llmgateway.spi.ChatProviderFactory} serves the name {@code openai-responses}.
 */
@NullMarked
package dev.llmgateway.provider.openai.responses;

import org.jspecify.annotations.NullMarked;

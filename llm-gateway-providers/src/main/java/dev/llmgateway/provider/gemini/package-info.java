/**
 * The Google Gemini adapter for the Gemini Developer API ({@code generateContent} and
 * {@code streamGenerateContent?alt=sse}): {@link dev.llmgateway.provider.gemini.GeminiChatProvider}, and
 * its {@link dev.llmgateway.spi.ChatProviderFactory} for {@link java.util.ServiceLoader} discovery under
 * the name {@code gemini}.
 */
@NullMarked
package dev.llmgateway.provider.gemini;

import org.jspecify.annotations.NullMarked;

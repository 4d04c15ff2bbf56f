/**
 * The adapter for Ollama's native chat API ({@code POST /api/chat}, NDJSON streaming):
 * {@link dev.llmgateway.provider.ollama.OllamaChatProvider}, configured with its builder or created by
 * {@link dev.llmgateway.provider.ollama.OllamaProviderFactory} through {@link java.util.ServiceLoader}.
 */
@NullMarked
package dev.llmgateway.provider.ollama;

import org.jspecify.annotations.NullMarked;

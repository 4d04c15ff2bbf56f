/**
 * The exception hierarchy: one unchecked root, {@link dev.llmgateway.error.LlmException}, and subtypes a
 * caller can act on. Every exception carries the provider, model, HTTP status and request id where known
 * and says whether retrying may help. Messages never contain API keys or prompt text.
 */
@NullMarked
package dev.llmgateway.error;

import org.jspecify.annotations.NullMarked;

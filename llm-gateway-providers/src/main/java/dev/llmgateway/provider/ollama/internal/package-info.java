/**
 * The Ollama {@code /api/chat} wire format: request encoding, response and NDJSON stream decoding, error
 * mapping, and {@code OLLAMA_HOST} parsing. Not part of the public API; it may change in any release.
 */
@NullMarked
package dev.llmgateway.provider.ollama.internal;

import org.jspecify.annotations.NullMarked;

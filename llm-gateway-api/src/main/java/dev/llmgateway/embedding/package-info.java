/**
 * Embeddings: turning text into vectors, through the same providers and credentials as chat. Used by
 * applications directly and by the gateway itself (the semantic cache).
 */
@NullMarked
package dev.llmgateway.embedding;

import org.jspecify.annotations.NullMarked;

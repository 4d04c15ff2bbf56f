/**
 * What the embeddings side of every adapter shares: reading a vector from a JSON body (an array of
 * numbers, or base64 little-endian float32) and checking that a provider answered one vector per input.
 */
@NullMarked
package dev.llmgateway.provider.internal.embedding;

import org.jspecify.annotations.NullMarked;

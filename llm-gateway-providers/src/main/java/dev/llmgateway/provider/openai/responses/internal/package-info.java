/**
 * The OpenAI Responses API wire format: request encoding, response and stream decoding, error mapping.
 * Not part of the public API; it may change in any release.
 */
@NullMarked
package dev.llmgateway.provider.openai.responses.internal;

import org.jspecify.annotations.NullMarked;

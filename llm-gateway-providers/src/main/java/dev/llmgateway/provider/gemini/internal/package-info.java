/**
 * The Gemini {@code generateContent} wire format: request encoding, response and stream decoding
 * (including the bare error objects Google may append to an event stream, and Vertex's streamed function
 * arguments), and error mapping. Not part of the public API; it may change in any release.
 */
@NullMarked
package dev.llmgateway.provider.gemini.internal;

import org.jspecify.annotations.NullMarked;

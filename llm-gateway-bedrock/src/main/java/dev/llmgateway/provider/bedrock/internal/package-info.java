/**
 * The Bedrock Converse wire format: request encoding, SigV4 signing, the binary
 * {@code application/vnd.amazon.eventstream} framing, response and stream decoding, error mapping. Not
 * part of the public API; it may change in any release.
 */
@NullMarked
package dev.llmgateway.provider.bedrock.internal;

import org.jspecify.annotations.NullMarked;

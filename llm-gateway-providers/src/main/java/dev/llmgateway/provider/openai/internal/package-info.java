/**
 * The OpenAI Chat Completions wire format: request encoding, response and stream decoding, error
 * mapping. Public so that adapters of OpenAI-shaped APIs (Azure OpenAI, Mistral, compatible servers) can
 * reuse it; not part of the public API, and it may change in any release.
 */
@NullMarked
package dev.llmgateway.provider.openai.internal;

import org.jspecify.annotations.NullMarked;

/**
 * A newline-delimited JSON line reader, for providers that stream one JSON object per line (Ollama).
 * Not part of the public API.
 */
@NullMarked
package dev.llmgateway.provider.internal.ndjson;

import org.jspecify.annotations.NullMarked;

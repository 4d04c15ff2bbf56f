/**
 * A {@code text/event-stream} (Server-Sent Events) decoder shared by every adapter whose provider
 * streams SSE (OpenAI and compatible servers, Anthropic, Gemini with {@code alt=sse}, Mistral). It knows
 * nothing about any provider's payloads: recognising OpenAI's {@code [DONE]} or Anthropic's event names is
 * the adapter's job. Not part of the public API.
 */
@NullMarked
package dev.llmgateway.provider.internal.sse;

import org.jspecify.annotations.NullMarked;

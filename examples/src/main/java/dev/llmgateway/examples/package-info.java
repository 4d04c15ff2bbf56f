/**
 * A runnable tour of llm-gateway. Each example is a small class with a {@code main}; {@link
 * dev.llmgateway.examples.Tour} runs them all. Without {@code OPENAI_API_KEY} they run against the
 * embedded {@link dev.llmgateway.testkit.FakeLlmServer}; with it, against the real OpenAI API (or any
 * OpenAI-compatible server named by {@code OPENAI_BASE_URL}).
 */
@NullMarked
package dev.llmgateway.examples;

import org.jspecify.annotations.NullMarked;

/**
 * A fake LLM server for tests, demos and benchmarks: {@link dev.llmgateway.testkit.FakeLlmServer} speaks the
 * OpenAI Chat Completions wire format on a loopback port, answers with scripted
 * {@link dev.llmgateway.testkit.FakeReply replies} (text, tool calls, errors, broken connections) and records
 * every {@link dev.llmgateway.testkit.CapturedRequest request} it receives, so an application can be tested
 * without spending tokens or reaching the internet.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *   server.enqueue(FakeReply.text("Paris."), FakeReply.rateLimited(Duration.ofSeconds(2)));
 *   // point any OpenAI-compatible client at server.baseUrl()
 * }
 * }</pre>
 *
 * <p>This module depends on MockWebServer and Jackson only, not on the gateway's providers, so the providers'
 * own tests can use it.
 */
@NullMarked
package dev.llmgateway.testkit;

import org.jspecify.annotations.NullMarked;

/**
 * How {@link dev.llmgateway.testkit.FakeLlmServer} works inside: the MockWebServer dispatcher, the OpenAI JSON
 * it writes and the event-stream body. Not part of the API; it may change in any release.
 */
@NullMarked
package dev.llmgateway.testkit.internal;

import org.jspecify.annotations.NullMarked;

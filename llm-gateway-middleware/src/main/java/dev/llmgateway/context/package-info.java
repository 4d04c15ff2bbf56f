/**
 * Context-window management: the {@link dev.llmgateway.context.ContextWindowInterceptor} checks, before a
 * call, that the conversation fits the model's context window, and when it does not, refuses it, drops
 * its oldest turns or replaces them by a summary ({@link dev.llmgateway.context.ContextWindowPolicy}). A
 * tool call and the results answering it are always kept or dropped together. What it did is recorded
 * in the call's {@link dev.llmgateway.CallContext} as a {@link dev.llmgateway.context.ContextWindowReport}.
 *
 * <p>See {@code docs/context-window.md}.
 */
@NullMarked
package dev.llmgateway.context;

import org.jspecify.annotations.NullMarked;

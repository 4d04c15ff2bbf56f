/** Ready-made {@link dev.llmgateway.ChatEventListener}s: logging, and later metrics and traces. */
@NullMarked
package dev.llmgateway.observe;

import org.jspecify.annotations.NullMarked;

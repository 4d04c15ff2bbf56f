/** Implementation detail of {@code dev.llmgateway.context}; not part of the API. */
@NullMarked
package dev.llmgateway.context.internal;

import org.jspecify.annotations.NullMarked;

/** Implementation detail of {@link dev.llmgateway.resilience}; not an API. */
@NullMarked
package dev.llmgateway.resilience.internal;

import org.jspecify.annotations.NullMarked;

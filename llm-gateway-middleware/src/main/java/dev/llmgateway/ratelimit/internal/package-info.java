/** Implementation detail of {@link dev.llmgateway.ratelimit}. */
@NullMarked
package dev.llmgateway.ratelimit.internal;

import org.jspecify.annotations.NullMarked;

/** Implementation detail of {@link dev.llmgateway.redaction}; not an API. */
@NullMarked
package dev.llmgateway.redaction.internal;

import org.jspecify.annotations.NullMarked;

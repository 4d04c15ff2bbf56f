/** Implementation detail of the audit log; not part of the API. */
@NullMarked
package dev.llmgateway.audit.internal;

import org.jspecify.annotations.NullMarked;

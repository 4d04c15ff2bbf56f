/** Implementation detail of the guards, moderation, validation and audit packages; not part of the API. */
@NullMarked
package dev.llmgateway.guard.internal;

import org.jspecify.annotations.NullMarked;

/** Implementation detail of moderation; not part of the API. */
@NullMarked
package dev.llmgateway.moderation.policy.internal;

import org.jspecify.annotations.NullMarked;

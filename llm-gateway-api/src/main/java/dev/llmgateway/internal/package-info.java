/** Implementation detail shared by the API types; not part of the public API and may change at any time. */
@NullMarked
package dev.llmgateway.internal;

import org.jspecify.annotations.NullMarked;

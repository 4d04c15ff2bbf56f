/** The caches' machinery: canonical request keys, canonical JSON, replay chunks, hit accounting. Not API. */
@NullMarked
package dev.llmgateway.cache.internal;

import org.jspecify.annotations.NullMarked;

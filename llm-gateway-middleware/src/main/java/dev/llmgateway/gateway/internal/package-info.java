/** The pipeline's machinery: chains, the provider call at the end of them, listener fan-out. Not API. */
@NullMarked
package dev.llmgateway.gateway.internal;

import org.jspecify.annotations.NullMarked;

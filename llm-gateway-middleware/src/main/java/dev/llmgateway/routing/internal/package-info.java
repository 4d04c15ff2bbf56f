/** The router's machinery: per-call routing state, the routed stream, counters. Not API. */
@NullMarked
package dev.llmgateway.routing.internal;

import org.jspecify.annotations.NullMarked;

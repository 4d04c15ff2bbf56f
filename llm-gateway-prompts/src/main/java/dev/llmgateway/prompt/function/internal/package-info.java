/**
 * Implementation detail of prompt functions: the type model derived from records, its JSON Schema
 * writer and its validator; not part of the API.
 */
@NullMarked
package dev.llmgateway.prompt.function.internal;

import org.jspecify.annotations.NullMarked;

/**
 * Implementation detail of {@link dev.llmgateway.prompt}: the strict Mustache object handler, template
 * analysis, the YAML reader, canonical hashing and classpath listing. Not part of the API; may change
 * without notice.
 */
@NullMarked
package dev.llmgateway.prompt.internal;

import org.jspecify.annotations.NullMarked;

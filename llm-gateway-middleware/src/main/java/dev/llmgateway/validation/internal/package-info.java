/**
 * Implementation detail of output validation; not part of the API. The classes here that touch the
 * networknt validator (and through it Jackson 3) are loaded only when the default validator is used.
 */
@NullMarked
package dev.llmgateway.validation.internal;

import org.jspecify.annotations.NullMarked;

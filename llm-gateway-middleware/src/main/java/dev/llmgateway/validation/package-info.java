/**
 * Structured output validation: the {@link dev.llmgateway.validation.OutputValidationInterceptor} checks
 * that an answer to a request with a JSON-schema {@link dev.llmgateway.ResponseFormat} is JSON matching
 * the schema, sends the validation errors back for one repair attempt, and fails with
 * {@link dev.llmgateway.error.OutputValidationException} carrying the raw text when the answer stays
 * invalid. The checking itself is a {@link dev.llmgateway.validation.SchemaValidator}; the default one
 * uses the networknt json-schema-validator, an optional dependency of this module (see
 * {@code docs/safety.md}).
 */
@NullMarked
package dev.llmgateway.validation;

import org.jspecify.annotations.NullMarked;

/**
 * Prompt functions: a registered prompt, a model group and a record type become a typed
 * {@link dev.llmgateway.prompt.function.PromptFunction}, whose answer is JSON matching the record's
 * derived {@link dev.llmgateway.prompt.function.RecordSchema} and is parsed into the record. See
 * {@code docs/prompts.md}.
 */
@NullMarked
package dev.llmgateway.prompt.function;

import org.jspecify.annotations.NullMarked;

/**
 * Prompts as managed code: Mustache templates with strict variables, a registry of versioned prompts
 * loaded from YAML or code, and experiments that split traffic between prompt versions and model
 * groups. See {@code docs/prompts.md}.
 */
@NullMarked
package dev.llmgateway.prompt;

import org.jspecify.annotations.NullMarked;

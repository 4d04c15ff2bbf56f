/**
 * Token counting before a call: how many input tokens a request will cost, for rate limits, budget
 * reservations, cost estimates and context-window checks. After the call the provider's reported usage is
 * the truth; these counts only stand in for it beforehand (and for calls whose provider reported none).
 *
 * <p>{@link dev.llmgateway.tokens.TokenCounter#standard()} picks the counter by model: OpenAI's own
 * tokenizers (through the optional JTokkit library) for OpenAI model families, and a documented
 * character-based {@link dev.llmgateway.tokens.EstimatingTokenCounter} for everything else, or for
 * everything when JTokkit is not on the class path. See {@code docs/cost-and-budgets.md} for the measured
 * accuracy of each.
 */
@NullMarked
package dev.llmgateway.tokens;

import org.jspecify.annotations.NullMarked;

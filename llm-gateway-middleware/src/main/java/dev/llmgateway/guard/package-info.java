/**
 * Guards that refuse a call before it costs anything: the {@link dev.llmgateway.guard.PromptInjectionGuard}
 * (weighted heuristics for known attack shapes, with an optional classifier model), and what every guard
 * of the gateway shares: the {@link dev.llmgateway.guard.GuardDecision} each one records in the call's
 * {@link dev.llmgateway.guard.GuardDecisionLog}, the {@link dev.llmgateway.guard.GuardListener} that
 * hears decisions as they are made, and the {@link dev.llmgateway.guard.GuardBlockedException} a refused
 * call ends with. Moderation ({@code dev.llmgateway.moderation}) and output validation
 * ({@code dev.llmgateway.validation}) report through the same types; the audit log
 * ({@code dev.llmgateway.audit}) reads them.
 *
 * <p>See {@code docs/safety.md}.
 */
@NullMarked
package dev.llmgateway.guard;

import org.jspecify.annotations.NullMarked;

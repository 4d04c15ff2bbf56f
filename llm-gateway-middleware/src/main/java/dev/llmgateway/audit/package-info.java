/**
 * The audit log: an {@link dev.llmgateway.audit.AuditEvent} for every call and every guard decision
 * (who, when, which model and deployment, a hash of the prompt, the decision and the rule that made it,
 * usage and cost), written by the {@link dev.llmgateway.audit.AuditListener} to an
 * {@link dev.llmgateway.audit.AuditSink}: {@link dev.llmgateway.audit.Slf4jAuditSink} by default, or the
 * host's own (a database, a SIEM). Events never hold prompt or answer text, keys or headers.
 *
 * <p>See {@code docs/safety.md}.
 */
@NullMarked
package dev.llmgateway.audit;

import org.jspecify.annotations.NullMarked;

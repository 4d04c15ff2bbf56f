/**
 * PII and secret redaction: personal data and credentials are found in a request before it leaves the
 * application, and masked, hashed, swapped for reversible placeholders, or the call is refused.
 *
 * <ul>
 *   <li>{@link dev.llmgateway.redaction.PiiDetector}: finds values of one
 *       {@link dev.llmgateway.redaction.PiiType} in a text; small enough for a lambda.
 *       {@link dev.llmgateway.redaction.PiiDetectors} holds the built-in ones (e-mail, phone, payment
 *       card, IBAN, US SSN, IPv4/IPv6, API keys and tokens, JWTs, private-key blocks);
 *       {@link dev.llmgateway.redaction.PiiDetector#regex} and
 *       {@link dev.llmgateway.redaction.PiiDetector#dictionary} build the host's own.
 *   <li>{@link dev.llmgateway.redaction.RedactionPolicy}: which detectors run and what is done per type
 *       ({@link dev.llmgateway.redaction.RedactionMode}).
 *   <li>{@link dev.llmgateway.redaction.RedactionInterceptor}: applies the policy to every message, tool
 *       call and tool result on the way in, and restores placeholders in the answer on the way out, in
 *       blocking calls and in streams alike.
 * </ul>
 *
 * <p>See {@code docs/safety.md}, section "PII and secret redaction".
 */
@NullMarked
package dev.llmgateway.redaction;

import org.jspecify.annotations.NullMarked;

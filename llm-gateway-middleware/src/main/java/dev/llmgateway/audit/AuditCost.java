package dev.llmgateway.audit;

import dev.llmgateway.gateway.internal.Check;
import java.math.BigDecimal;

/**
 * What a call cost, as recorded in an {@link AuditEvent}.
 *
 * @param amount the cost, at least 0, unrounded
 * @param currency an ISO 4217 code such as {@code USD}
 */
public record AuditCost(BigDecimal amount, String currency) {
  public AuditCost {
    Check.nonNull(amount, "auditCost.amount");
    Check.that(amount.signum() >= 0, "auditCost.amount must not be negative, was " + amount);
    Check.that(currency != null && currency.matches("[A-Z]{3}"),
        "auditCost.currency must be an ISO 4217 code such as USD, was '" + currency + "'");
  }
}

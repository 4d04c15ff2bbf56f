/**
 * The usage ledger: a {@link dev.llmgateway.ledger.UsageRecord} of every call (who, which model and
 * deployment, tokens, cost, outcome), written by the {@link dev.llmgateway.ledger.AccountingInterceptor}
 * to a {@link dev.llmgateway.ledger.UsageLedger} and handed to
 * {@link dev.llmgateway.ledger.UsageRecordListener}s for export. The ledger answers
 * {@link dev.llmgateway.ledger.UsageQuery}s: tokens and cost summed by any of tenant, user, application,
 * provider, model, deployment, outcome or a tag, over a time range.
 */
@NullMarked
package dev.llmgateway.ledger;

import org.jspecify.annotations.NullMarked;

/** Implementation detail shared by the accounting interceptors (cost, ledger, budgets, rate limits). */
@NullMarked
package dev.llmgateway.cost.internal;

import org.jspecify.annotations.NullMarked;

package dev.llmgateway.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the {@link AccountingInterceptor} writes every call's {@link UsageRecord}, and the sums over them
 * are read back. {@link InMemoryUsageLedger} is the bounded default; a durable ledger (a database, the
 * {@code llm-gateway-redis} module) implements the same two methods.
 *
 * <p>Implementations must be thread-safe: records arrive from every call's thread at once, and no record
 * may be lost or counted twice.
 */
public interface UsageLedger {

  /** Adds one call. */
  void record(UsageRecord record);

  /** The sums {@code query} asks for, one {@link UsageTotals} per group, in a stable order. */
  List<UsageTotals> query(UsageQuery query);

  /** Every record between {@code from} (inclusive) and {@code to} (exclusive), summed into one row. */
  default UsageTotals total(Instant from, Instant to) {
    List<UsageTotals> rows = query(UsageQuery.builder(from, to).build());
    return rows.isEmpty() ? new UsageTotals(Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, Map.of(),
        java.time.Duration.ZERO, 0, Map.of()) : rows.get(0);
  }
}

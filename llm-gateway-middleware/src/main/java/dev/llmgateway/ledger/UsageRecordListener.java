package dev.llmgateway.ledger;

/**
 * Receives every {@link UsageRecord} the {@link AccountingInterceptor} writes: the hook to export records
 * to a database, a data warehouse or a billing system. Small enough for a lambda:
 *
 * <pre>{@code
 * UsageRecordListener export = record -> queue.offer(record);
 * }</pre>
 *
 * <p>Called on the call's thread, after the record is in the ledger; keep it fast (hand records to a
 * queue). An exception it throws is logged and does not affect the call or other listeners.
 */
@FunctionalInterface
public interface UsageRecordListener {

  /** One call was recorded. */
  void onRecord(UsageRecord record);
}

package dev.llmgateway.audit;

/**
 * Where audit events go: {@link Slf4jAuditSink} by default, or the host's own (a database table, a SIEM,
 * a message queue). Small enough for a lambda: {@code events::add}.
 *
 * <p>Called on the call's thread when the call ends, once per guard decision and once for the call; keep
 * it fast (hand slow work to a queue). An exception it throws is logged by the {@link AuditListener} and
 * never reaches the call.
 */
@FunctionalInterface
public interface AuditSink {

  /** Records {@code event}. */
  void record(AuditEvent event);
}

package dev.llmgateway.audit;

import dev.llmgateway.audit.internal.AuditJson;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link AuditEvent} as one JSON object on one line, at INFO level, to the SLF4J logger
 * {@value #DEFAULT_LOGGER_NAME} (route it to its own file or appender in the logging configuration). Fields
 * that are null or empty are left out; there is no prompt or answer text to leave out:
 *
 * <pre>{@code
 * {"kind":"GUARD","ts":"2026-11-26T10:15:30.123Z","callId":"5f0c...","tenant":"acme","model":"fast",
 *  "promptHash":"sha256:9c1e...","decision":"BLOCKED","guard":"prompt-injection","stage":"INPUT",
 *  "rules":["override.ignore-previous"],"categories":["INSTRUCTION_OVERRIDE"],"score":1.0}
 * }</pre>
 */
public final class Slf4jAuditSink implements AuditSink {
  /** The logger written to by default. */
  public static final String DEFAULT_LOGGER_NAME = "dev.llmgateway.audit";

  private final Logger log;

  /** Writes to {@value #DEFAULT_LOGGER_NAME}. */
  public Slf4jAuditSink() {
    this(LoggerFactory.getLogger(DEFAULT_LOGGER_NAME));
  }

  /** Writes to {@code log}. */
  public Slf4jAuditSink(Logger log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public void record(AuditEvent event) {
    if (log.isInfoEnabled()) {
      log.info("{}", AuditJson.line(event));
    }
  }
}

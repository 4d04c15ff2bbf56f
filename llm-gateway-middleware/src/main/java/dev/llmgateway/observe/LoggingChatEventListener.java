package dev.llmgateway.observe;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.error.LlmException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each call through SLF4J at debug level: which model was asked, which provider answered, tokens,
 * finish reason, duration, and failures. It never logs prompt or answer text, metadata values or
 * headers, so nothing personal or secret reaches the log. Installed by default on every gateway; turn it
 * off with {@code LlmGateway.builder().logging(false)}.
 */
public final class LoggingChatEventListener implements ChatEventListener {
  /** The logger name used by default. */
  public static final String DEFAULT_LOGGER_NAME = "dev.llmgateway.calls";

  private final Logger log;

  /** Logs to {@value #DEFAULT_LOGGER_NAME}. */
  public LoggingChatEventListener() {
    this(LoggerFactory.getLogger(DEFAULT_LOGGER_NAME));
  }

  /** Logs to {@code log}. */
  public LoggingChatEventListener(Logger log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public void onCallStart(CallContext context, ChatRequest request) {
    if (log.isDebugEnabled()) {
      log.debug("call {} start model={} messages={} tools={} stream={}", context.callId(),
          request.model(), request.messages().size(), request.tools().size(), context.streaming());
    }
  }

  @Override
  public void onAttempt(CallContext context, String provider, String model, int attempt) {
    log.debug("call {} attempt {} -> {}/{}", context.callId(), attempt, provider, model);
  }

  @Override
  public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
    if (log.isDebugEnabled()) {
      log.debug("call {} end provider={} model={} finish={} inputTokens={} outputTokens={} ms={}",
          context.callId(), response.provider(), response.model(), response.finishReason(),
          response.usage().inputTokens(), response.usage().outputTokens(), elapsed.toMillis());
    }
  }

  @Override
  public void onCallFailed(CallContext context, LlmException error, Duration elapsed) {
    if (log.isDebugEnabled()) {
      // The message of an LlmException is safe by contract: no keys, no prompt text.
      log.debug("call {} failed after {} ms: {}: {}", context.callId(), elapsed.toMillis(),
          error.getClass().getSimpleName(), error.getMessage());
    }
  }
}

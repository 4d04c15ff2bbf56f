package dev.llmgateway.error;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the gateway throws. Unchecked, because a caller usually lets it propagate;
 * catch a subtype to act on it ({@link RateLimitedException}, {@link ContextLengthExceededException}...).
 *
 * <p>The message is safe to log: it never contains an API key or prompt text. The provider, model, HTTP
 * status and request id are appended to it and available as accessors.
 */
public class LlmException extends RuntimeException {
  private final ErrorContext context;
  private final boolean defaultRetryable;

  public LlmException(String message, ErrorContext context, @Nullable Throwable cause) {
    this(message, context, cause, false);
  }

  protected LlmException(String message, ErrorContext context, @Nullable Throwable cause,
      boolean defaultRetryable) {
    super(Objects.requireNonNull(message, "message") + Objects.requireNonNull(context, "context").describe(),
        cause);
    this.context = context;
    this.defaultRetryable = defaultRetryable;
  }

  public ErrorContext context() {
    return context;
  }

  public @Nullable String provider() {
    return context.provider();
  }

  public @Nullable String model() {
    return context.model();
  }

  public @Nullable Integer httpStatus() {
    return context.httpStatus();
  }

  public @Nullable String requestId() {
    return context.requestId();
  }

  /** How long the provider (or one of our own limits) asked to wait before retrying; null if unsaid. */
  public @Nullable Duration retryAfter() {
    return context.retryAfter();
  }

  /** Whether sending the same request again may succeed. */
  public boolean isRetryable() {
    Boolean explicit = context.retryable();
    return explicit != null ? explicit : defaultRetryable;
  }
}

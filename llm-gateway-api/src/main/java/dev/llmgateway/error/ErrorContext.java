package dev.llmgateway.error;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where an error came from. Every field is optional.
 *
 * @param provider the provider that failed, e.g. {@code openai}
 * @param model the model asked for
 * @param httpStatus the HTTP status the provider answered
 * @param requestId the provider's request id, for support tickets
 * @param retryAfter how long the provider asked us to wait before retrying
 * @param retryable an explicit verdict (e.g. from {@code x-should-retry}) that overrides the exception
 *     type's default; null to use the default
 */
public record ErrorContext(@Nullable String provider, @Nullable String model,
    @Nullable Integer httpStatus, @Nullable String requestId, @Nullable Duration retryAfter,
    @Nullable Boolean retryable) {

  /** Nothing known. */
  public static final ErrorContext EMPTY = new ErrorContext(null, null, null, null, null, null);

  public static ErrorContext of(@Nullable String provider, @Nullable String model) {
    return new ErrorContext(provider, model, null, null, null, null);
  }

  public ErrorContext withHttpStatus(@Nullable Integer value) {
    return new ErrorContext(provider, model, value, requestId, retryAfter, retryable);
  }

  public ErrorContext withRequestId(@Nullable String value) {
    return new ErrorContext(provider, model, httpStatus, value, retryAfter, retryable);
  }

  public ErrorContext withRetryAfter(@Nullable Duration value) {
    return new ErrorContext(provider, model, httpStatus, requestId, value, retryable);
  }

  public ErrorContext withRetryable(@Nullable Boolean value) {
    return new ErrorContext(provider, model, httpStatus, requestId, retryAfter, value);
  }

  /** A suffix such as {@code " [provider=openai, model=gpt-4o, status=429]"}, or empty. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    append(sb, "provider", provider);
    append(sb, "model", model);
    append(sb, "status", httpStatus);
    append(sb, "requestId", requestId);
    append(sb, "retryAfter", retryAfter);
    return sb.length() == 0 ? "" : " [" + sb + "]";
  }

  private static void append(StringBuilder sb, String name, @Nullable Object value) {
    if (value != null) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(name).append('=').append(value);
    }
  }
}

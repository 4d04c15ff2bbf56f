package dev.llmgateway.provider.openai.responses.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.internal.http.RetrySignals;
import dev.llmgateway.provider.internal.http.SecretRedaction;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Responses API error to the exception hierarchy: an HTTP error status with its body, an
 * {@code error} stream event, or the {@code error} object of a response whose status is {@code failed}.
 *
 * <p>The HTTP envelope is Chat Completions' {@code {"error":{"message","type","param","code"}}}. The
 * {@code error} stream event comes in two shapes, both read: flat ({@code {"type":"error","code",
 * "message","param"}}, as documented) and nested ({@code {"type":"error","error":{...}}}, as recorded in
 * {@code stream-error-insufficient-quota.jsonl}). A failed response carries {@code {"code","message"}}.
 *
 * <p>Rules, in order: HTTP 401/403 is authentication; code {@code context_length_exceeded} or a message
 * saying "exceeds the context window" (or "maximum context length") is a context overflow, on HTTP 400,
 * 413 or in-stream; code {@code content_filter} or {@code image_content_policy_violation} is a content
 * filter; HTTP 429, or in-stream {@code rate_limit_exceeded} / {@code insufficient_quota}, is a rate limit,
 * not retryable when it is {@code insufficient_quota}; 408 is a timeout; 409 and 5xx are unavailability;
 * other 4xx are invalid requests. In-stream, codes starting with {@code invalid_} or {@code image_} and
 * type {@code invalid_request_error} are invalid requests; anything else (e.g. {@code server_error}) is
 * unavailability, which is retryable. The wait comes from {@link RetrySignals}; a present
 * {@code x-should-retry} overrides the verdict.
 *
 * <p>Messages name the error's code or type and its {@code param} (e.g. {@code temperature}), then the
 * provider's message, shortened and scrubbed of anything key-like with {@link SecretRedaction}.
 */
public final class ResponsesErrorDecoder {
  private static final int MAX_MESSAGE_CHARS = 500;

  private final ObjectMapper mapper;
  private final String providerLabel;
  private final List<Secret> secrets;
  private final Clock clock;

  /**
   * @param mapper parses error bodies
   * @param providerLabel names the provider in messages, e.g. {@code openai-responses}
   * @param secrets keys to scrub from provider messages
   * @param clock the time {@code retry-after} dates are measured from
   */
  public ResponsesErrorDecoder(ObjectMapper mapper, String providerLabel, List<Secret> secrets,
      Clock clock) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.providerLabel = Objects.requireNonNull(providerLabel, "providerLabel");
    this.secrets = List.copyOf(secrets);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The error the body of a response with HTTP status {@code status} describes. */
  public LlmException fromHttp(int status, Headers headers, byte[] body, @Nullable String contentType,
      ErrorContext base) {
    ErrorContext context = base.withHttpStatus(status)
        .withRetryAfter(RetrySignals.retryAfter(headers, clock.instant()));
    WireError error = parse(body);
    String message;
    if (error == null) {
      message = providerLabel + " answered HTTP " + status + (body.length == 0
          ? " with an empty body"
          : " with a non-JSON body (" + (contentType != null ? contentType : "no content type") + ", "
              + body.length + " bytes)");
      error = WireError.NONE;
    } else {
      message = providerLabel + " answered HTTP " + status + error.describe();
    }
    return classify(status, error, message, context, RetrySignals.shouldRetry(headers));
  }

  /** The error an {@code error} stream event reports, flat or nested. */
  public LlmException fromErrorEvent(JsonNode event, ErrorContext base) {
    JsonNode nested = event.get("error");
    WireError error = nested != null && nested.isObject() ? fields(nested) : fields(event);
    return classify(-1, error, providerLabel + " reported an error mid-stream" + error.describe(), base,
        null);
  }

  /**
   * The error of a response whose status is {@code failed} ({@code response.failed} event, or a blocking
   * body); {@code response} may lack an {@code error} object.
   */
  public LlmException fromFailedResponse(@Nullable JsonNode response, ErrorContext base) {
    JsonNode error = response == null ? null : response.get("error");
    WireError wire = error != null && error.isObject() ? fields(error) : WireError.NONE;
    return classify(-1, wire, providerLabel + " reported the response as failed" + wire.describe(), base,
        null);
  }

  /**
   * The error a 2xx body carried instead of a response ({@code {"error":{...}}} without {@code output}).
   */
  public LlmException fromSuccessBody(JsonNode body, ErrorContext base) {
    JsonNode error = body.get("error");
    WireError wire = error != null && error.isObject() ? fields(error) : WireError.NONE;
    return classify(-1, wire, providerLabel + " answered with an error body" + wire.describe(), base,
        null);
  }

  private LlmException classify(int status, WireError error, String message, ErrorContext context,
      @Nullable Boolean shouldRetry) {
    message = scrub(message);
    String code = lower(error.code());
    String type = lower(error.type());
    String text = lower(error.message());
    boolean contextLength = "context_length_exceeded".equals(code)
        || "context_length_exceeded".equals(type)
        || (text != null && (text.contains("exceeds the context window")
            || text.contains("maximum context length")));
    boolean contentFilter = "content_filter".equals(code)
        || "image_content_policy_violation".equals(code);
    boolean quota = "insufficient_quota".equals(code) || "insufficient_quota".equals(type);
    boolean rateLimit = quota || "rate_limit_exceeded".equals(code)
        || "rate_limit_exceeded".equals(type) || "rate_limit_error".equals(type);
    if (quota) {
      context = context.withRetryable(Boolean.FALSE);
    }
    if (shouldRetry != null) {
      context = context.withRetryable(shouldRetry);
    }
    if (status == 401 || status == 403) {
      return new AuthenticationException(message, context, null);
    }
    if (contextLength && (status == -1 || status == 400 || status == 413)) {
      return new ContextLengthExceededException(message, context, null);
    }
    if (contentFilter && (status == -1 || status == 400)) {
      return new ContentFilteredException(message, context, null);
    }
    if (status == 429 || (status == -1 && rateLimit)) {
      return new RateLimitedException(message, context, null);
    }
    if (status == 408) {
      return new LlmTimeoutException(message, context, null);
    }
    if (status == 409 || status >= 500) {
      return new ProviderUnavailableException(message, context, null);
    }
    if (status >= 400) {
      return new InvalidRequestException(message, context, null);
    }
    boolean invalid = "invalid_request_error".equals(type)
        || (code != null && (code.startsWith("invalid_") || code.startsWith("image_")));
    return invalid
        ? new InvalidRequestException(message, context, null)
        : new ProviderUnavailableException(message, context, null);
  }

  private @Nullable WireError parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || !node.isObject()) {
        return null;
      }
      JsonNode error = node.get("error");
      if (error != null && error.isObject()) {
        return fields(error);
      }
      if (error != null && error.isTextual()) {
        return new WireError(error.asText(), null, null, null);
      }
      return node.has("message") ? fields(node) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static WireError fields(JsonNode error) {
    String type = text(error.get("type"));
    return new WireError(text(error.get("message")), "error".equals(type) ? null : type,
        text(error.get("param")), text(error.get("code")));
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
  }

  private static @Nullable String lower(@Nullable String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private String scrub(String message) {
    String scrubbed = SecretRedaction.scrub(message, secrets);
    return scrubbed.length() <= MAX_MESSAGE_CHARS
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  /** The fields of an error object, each null when absent. */
  private record WireError(@Nullable String message, @Nullable String type, @Nullable String param,
      @Nullable String code) {
    static final WireError NONE = new WireError(null, null, null, null);

    /** E.g. {@code " (invalid_request_error, param temperature): Unsupported parameter..."}. */
    String describe() {
      StringBuilder sb = new StringBuilder();
      String kind = code != null ? code : type;
      if (kind != null || param != null) {
        sb.append(" (");
        if (kind != null) {
          sb.append(kind);
        }
        if (param != null) {
          sb.append(kind != null ? ", " : "").append("param ").append(param);
        }
        sb.append(')');
      }
      if (message != null && !message.isBlank()) {
        sb.append(": ").append(message);
      }
      if ("include".equals(param)) {
        sb.append(" (this model does not take include=[\"")
            .append(ResponsesRequestEncoder.ENCRYPTED_REASONING)
            .append("\"]: turn includeEncryptedReasoning off for it)");
      }
      return sb.toString();
    }
  }
}

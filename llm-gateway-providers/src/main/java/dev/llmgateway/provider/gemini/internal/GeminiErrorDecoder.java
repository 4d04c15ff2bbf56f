package dev.llmgateway.provider.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.AuthenticationException;
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
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Gemini error, an HTTP error status with its body or an error object inside a stream, to the
 * exception hierarchy.
 *
 * <p>Google's envelope is {@code {"error":{"code","message","status","details":[...]}}}, where
 * {@code details} holds typed objects; this class reads {@code google.rpc.ErrorInfo} (its {@code reason}
 * and quota metadata), {@code google.rpc.RetryInfo} ({@code retryDelay} such as {@code "34.4s"}) and
 * {@code google.rpc.QuotaFailure} (the violated {@code quotaId}s). Rules, first match wins:
 *
 * <ul>
 *   <li>ErrorInfo reason {@code API_KEY_INVALID} (sent with HTTP 400, not 401), HTTP 401/403,
 *       {@code UNAUTHENTICATED} or {@code PERMISSION_DENIED}: {@link AuthenticationException};
 *   <li>a message saying the input token count exceeds the maximum:
 *       {@link ContextLengthExceededException};
 *   <li>HTTP 429 or {@code RESOURCE_EXHAUSTED}: {@link RateLimitedException}, waiting
 *       {@code RetryInfo.retryDelay} or else the {@code retry-after} header; marked not retryable when the
 *       quota cannot recover soon (a per-day quota, or a quota limit of {@code 0});
 *   <li>HTTP 404 or {@code NOT_FOUND}: {@link InvalidRequestException} naming the model;
 *   <li>HTTP 408, HTTP 504 or {@code DEADLINE_EXCEEDED}: {@link LlmTimeoutException} (Google gave up on
 *       its own deadline; retryable like any timeout);
 *   <li>HTTP 5xx, 499 or {@code CANCELLED}, {@code INTERNAL}, {@code UNAVAILABLE}:
 *       {@link ProviderUnavailableException};
 *   <li>any other 4xx ({@code INVALID_ARGUMENT}, {@code FAILED_PRECONDITION}...):
 *       {@link InvalidRequestException}.
 * </ul>
 *
 * <p>Only the error's {@code message} and {@code status} reach the exception message, shortened and
 * scrubbed of the configured keys and of anything shaped like a Google API key; {@code details} (whose
 * {@code DebugInfo} can echo the key) never do.
 */
public final class GeminiErrorDecoder {
  private static final int MAX_MESSAGE_CHARS = 500;
  /** Google API keys: {@code AIza} followed by 35 URL-safe characters. */
  private static final Pattern GOOGLE_KEY = Pattern.compile("AIza[0-9A-Za-z_\\-]{20,}");
  private static final Pattern PROTO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)s");
  private static final Pattern CONTEXT_OVERFLOW = Pattern.compile(
      "input token count.*exceeds the maximum", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private final ObjectMapper mapper;
  private final String providerLabel;
  private final List<Secret> secrets;
  private final Clock clock;

  /**
   * @param mapper parses error bodies
   * @param providerLabel names the provider in messages, e.g. {@code gemini}
   * @param secrets keys to scrub from provider messages
   * @param clock the time {@code retry-after} dates are measured from
   */
  public GeminiErrorDecoder(ObjectMapper mapper, String providerLabel, List<Secret> secrets,
      Clock clock) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.providerLabel = Objects.requireNonNull(providerLabel, "providerLabel");
    this.secrets = List.copyOf(secrets);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The error the body of a response with HTTP status {@code status} describes. */
  public LlmException fromHttp(int status, Headers headers, byte[] body, @Nullable String contentType,
      ErrorContext base) {
    ErrorContext context = base.withHttpStatus(status);
    WireError error = parse(body);
    String message;
    if (error == null) {
      message = providerLabel + " answered HTTP " + status + (body.length == 0
          ? " with an empty body"
          : " with a non-JSON body (" + (contentType != null ? contentType : "no content type") + ", "
              + body.length + " bytes)");
      error = WireError.EMPTY;
    } else {
      message = providerLabel + " answered HTTP " + status + error.describe();
    }
    Duration wait = error.retryDelay() != null
        ? error.retryDelay()
        : RetrySignals.retryAfter(headers, clock.instant());
    return classify(status, error, message, context.withRetryAfter(wait));
  }

  /**
   * The error an event stream carried after its HTTP 200: a {@code data:} event holding
   * {@code {"error":{...}}}, or a bare error object written into the body. Classified by the error's
   * {@code code} and {@code status}; the context keeps the stream's HTTP status.
   */
  public LlmException fromStreamError(JsonNode payload, ErrorContext base) {
    WireError error = read(payload);
    if (error == null) {
      error = WireError.EMPTY;
    }
    String message = providerLabel + " reported an error mid-stream" + error.describe();
    Integer code = error.code();
    return classify(code != null && code >= 400 && code <= 599 ? code : -1, error, message,
        base.withRetryAfter(error.retryDelay()));
  }

  /** Whether {@code payload}, a decoded body or stream event, is an error object. */
  public static boolean isError(JsonNode payload) {
    JsonNode error = payload.get("error");
    return error != null && !error.isNull();
  }

  private LlmException classify(int status, WireError error, String message, ErrorContext context) {
    message = scrub(message);
    String grpc = error.status() != null ? error.status().toUpperCase(Locale.ROOT) : "";
    if ("API_KEY_INVALID".equals(error.reason()) || status == 401 || status == 403
        || grpc.equals("UNAUTHENTICATED") || grpc.equals("PERMISSION_DENIED")) {
      return new AuthenticationException(message, context, null);
    }
    if (error.message() != null && CONTEXT_OVERFLOW.matcher(error.message()).find()
        && (status == 400 || status == -1)) {
      return new ContextLengthExceededException(message, context, null);
    }
    if (status == 429 || grpc.equals("RESOURCE_EXHAUSTED")) {
      if (error.quotaCannotRecover()) {
        context = context.withRetryable(Boolean.FALSE);
      }
      return new RateLimitedException(message, context, null);
    }
    if (status == 404 || grpc.equals("NOT_FOUND")) {
      String model = context.model();
      String prefix = model != null
          ? providerLabel + " does not know model '" + model + "' or its method"
          : providerLabel + " did not find the resource";
      return new InvalidRequestException(scrub(prefix + error.describe()), context, null);
    }
    if (status == 408 || status == 504 || grpc.equals("DEADLINE_EXCEEDED")) {
      return new LlmTimeoutException(message, context, null);
    }
    if (status >= 500 || status == 499 || grpc.equals("CANCELLED") || grpc.equals("INTERNAL")
        || grpc.equals("UNAVAILABLE")) {
      return new ProviderUnavailableException(message, context, null);
    }
    if (status >= 400 || grpc.equals("INVALID_ARGUMENT") || grpc.equals("FAILED_PRECONDITION")
        || grpc.equals("OUT_OF_RANGE")) {
      return new InvalidRequestException(message, context, null);
    }
    return new ProviderUnavailableException(message, context, null);
  }

  private @Nullable WireError parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      JsonNode node = mapper.readTree(body);
      if (node != null && node.isArray() && node.size() > 0) {
        node = node.get(0); // a streamed (non-SSE) body wraps the error in an array
      }
      return node == null || !node.isObject() ? null : read(node);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable WireError read(JsonNode node) {
    JsonNode error = node.get("error");
    if (error == null || !error.isObject()) {
      return null;
    }
    JsonNode code = error.get("code");
    String reason = null;
    Duration retryDelay = null;
    boolean cannotRecover = false;
    JsonNode details = error.get("details");
    if (details != null && details.isArray()) {
      for (JsonNode detail : details) {
        String type = text(detail.get("@type"));
        if (type == null) {
          continue;
        }
        if (type.endsWith("google.rpc.ErrorInfo")) {
          reason = reason != null ? reason : text(detail.get("reason"));
          if ("0".equals(text(detail.path("metadata").get("quota_limit_value")))) {
            cannotRecover = true;
          }
        } else if (type.endsWith("google.rpc.RetryInfo")) {
          retryDelay = parseDuration(text(detail.get("retryDelay")));
        } else if (type.endsWith("google.rpc.QuotaFailure")) {
          for (JsonNode violation : detail.path("violations")) {
            String quotaId = text(violation.get("quotaId"));
            if ((quotaId != null && quotaId.toLowerCase(Locale.ROOT).contains("perday"))
                || "0".equals(text(violation.get("quotaValue")))) {
              cannotRecover = true;
            }
          }
        }
      }
    }
    return new WireError(code != null && code.canConvertToInt() ? Integer.valueOf(code.asInt()) : null,
        text(error.get("message")), text(error.get("status")), reason, retryDelay, cannotRecover);
  }

  /** A protobuf JSON duration such as {@code "34.4s"}; null when it is not one. */
  static @Nullable Duration parseDuration(@Nullable String value) {
    if (value == null) {
      return null;
    }
    Matcher m = PROTO_DURATION.matcher(value.strip());
    if (!m.matches()) {
      return null;
    }
    return Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * 1_000_000_000d));
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
  }

  private String scrub(String message) {
    String scrubbed = GOOGLE_KEY.matcher(SecretRedaction.scrub(message, secrets))
        .replaceAll(SecretRedaction.REDACTED);
    return scrubbed.length() <= MAX_MESSAGE_CHARS
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  /** The fields of an error object that matter, each null when absent. */
  private record WireError(@Nullable Integer code, @Nullable String message, @Nullable String status,
      @Nullable String reason, @Nullable Duration retryDelay, boolean quotaCannotRecover) {

    static final WireError EMPTY = new WireError(null, null, null, null, null, false);

    String describe() {
      StringBuilder sb = new StringBuilder();
      if (status != null || reason != null) {
        sb.append(" (");
        if (code != null && status != null) {
          sb.append(code).append(' ');
        }
        sb.append(status != null ? status : "");
        if (reason != null) {
          sb.append(status != null ? ", " : "").append(reason);
        }
        sb.append(')');
      }
      if (message != null && !message.isBlank()) {
        sb.append(": ").append(message);
      }
      return sb.toString();
    }
  }
}

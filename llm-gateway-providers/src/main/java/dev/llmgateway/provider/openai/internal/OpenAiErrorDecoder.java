package dev.llmgateway.provider.openai.internal;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps an OpenAI-style error (an HTTP error status with its body, or an error object in the middle of a
 * stream) to the exception hierarchy.
 *
 * <p>Bodies are read in both shapes seen in the wild: OpenAI's envelope
 * {@code {"error":{"message","type","param","code"}}} and vLLM's flat
 * {@code {"object":"error","message","type","code"}} (also Mistral's, whose validation failures carry a
 * {@code message} or {@code detail} list of {@code {loc, msg, input}}: only {@code loc} and {@code msg} are
 * kept, never {@code input}, which may quote the prompt); a body that is not JSON is described by its type
 * and size only. Status rules: 401/403 authentication; 400 with code {@code context_length_exceeded}, type
 * {@code exceed_context_size_error} (llama.cpp, also on 500 in older builds) or a message containing
 * "maximum context length" (OpenAI, vLLM, Mistral's "too large for model with N maximum context length") is
 * a context overflow; code {@code content_filter} or Azure's inner error code
 * {@code ResponsibleAIPolicyViolation} is a content filter; other 4xx are invalid requests; 408 is a
 * timeout; 409 and 5xx are unavailability; 429 is a rate limit, not retryable when it is
 * {@code insufficient_quota}. The wait comes from {@link RetrySignals}, and a present
 * {@code x-should-retry} overrides the verdict.
 *
 * <p>The provider's message is kept (it helps, and holds no prompt text) but shortened and scrubbed of
 * anything key-like with {@link SecretRedaction}.
 */
public final class OpenAiErrorDecoder {
  private static final int MAX_MESSAGE_CHARS = 500;

  private final ObjectMapper mapper;
  private final String providerLabel;
  private final Supplier<? extends Collection<Secret>> secrets;
  private final Clock clock;

  /**
   * @param mapper parses error bodies
   * @param providerLabel names the provider in messages, e.g. {@code openai}
   * @param secrets keys to scrub from provider messages
   * @param clock the time {@code retry-after} dates are measured from
   */
  public OpenAiErrorDecoder(ObjectMapper mapper, String providerLabel, List<Secret> secrets,
      Clock clock) {
    this(mapper, providerLabel, constant(List.copyOf(secrets)), clock);
  }

  /**
   * @param mapper parses error bodies
   * @param providerLabel names the provider in messages, e.g. {@code openai}
   * @param secrets the credentials to scrub from provider messages, asked for each message (a token
   *     supplier's token changes)
   * @param clock the time {@code retry-after} dates are measured from
   */
  public OpenAiErrorDecoder(ObjectMapper mapper, String providerLabel,
      Supplier<? extends Collection<Secret>> secrets, Clock clock) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.providerLabel = Objects.requireNonNull(providerLabel, "providerLabel");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private static Supplier<List<Secret>> constant(List<Secret> secrets) {
    return () -> secrets;
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
      error = WireError.EMPTY;
    } else {
      message = providerLabel + " answered HTTP " + status + error.describe();
    }
    return classify(status, error, message, context, RetrySignals.shouldRetry(headers));
  }

  /**
   * The error a stream event carried, e.g. {@code data: {"error":{...}}} after a 200. A numeric
   * {@code code} between 400 and 599 (vLLM) is read as the status.
   */
  public LlmException fromStreamError(JsonNode payload, ErrorContext base) {
    return fromPayload(payload, base, " reported an error mid-stream");
  }

  /**
   * The error a successful (HTTP 2xx) non-streamed body carried instead of an answer, which some
   * compatible servers send. Classified like {@link #fromStreamError}.
   */
  public LlmException fromSuccessBody(JsonNode payload, ErrorContext base) {
    return fromPayload(payload, base, " answered with an error body");
  }

  private LlmException fromPayload(JsonNode payload, ErrorContext base, String what) {
    WireError error = read(payload);
    if (error == null) {
      error = WireError.EMPTY;
    }
    Integer status = error.numericCode();
    String message = providerLabel + what + error.describe();
    return classify(status != null && status >= 400 && status <= 599 ? status : null, error, message,
        base, null);
  }

  /** Whether {@code payload}, a decoded stream event or body, is an error rather than a chunk. */
  public static boolean isError(JsonNode payload) {
    JsonNode error = payload.get("error");
    if (error != null && !error.isNull()) {
      return true;
    }
    return "error".equalsIgnoreCase(payload.path("object").asText(""));
  }

  private LlmException classify(@Nullable Integer status, WireError error, String message,
      ErrorContext context, @Nullable Boolean shouldRetry) {
    message = scrub(message);
    int s = status != null ? status : -1;
    String code = lower(error.code());
    String type = lower(error.type());
    String text = lower(error.message());
    boolean contextLength = "context_length_exceeded".equals(code)
        || "exceed_context_size_error".equals(type)
        || (text != null && text.contains("maximum context length"));
    boolean contentFilter = "content_filter".equals(code)
        || "responsibleaipolicyviolation".equals(lower(error.innerCode()));
    boolean quota = "insufficient_quota".equals(code) || "insufficient_quota".equals(type);
    boolean rateLimit = quota || "rate_limit_exceeded".equals(code)
        || "rate_limit_exceeded".equals(type) || "rate_limit_error".equals(type);
    if (quota) {
      context = context.withRetryable(Boolean.FALSE);
    }
    if (shouldRetry != null) {
      context = context.withRetryable(shouldRetry);
    }
    if (s == 401 || s == 403) {
      return new AuthenticationException(message, context, null);
    }
    if (contextLength && (s == -1 || s == 400 || s == 413 || s >= 500)) {
      return new ContextLengthExceededException(message, context, null);
    }
    if (contentFilter && (s == -1 || s == 400)) {
      return new ContentFilteredException(message, context, null);
    }
    if (s == 429 || (s == -1 && rateLimit)) {
      return new RateLimitedException(message, context, null);
    }
    if (s == 408) {
      return new LlmTimeoutException(message, context, null);
    }
    if (s == 409 || s >= 500) {
      return new ProviderUnavailableException(message, context, null);
    }
    if (s >= 400 || (s == -1 && "invalid_request_error".equals(type))) {
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
      return node == null || !node.isObject() ? null : read(node);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private @Nullable WireError read(JsonNode node) {
    JsonNode error = node.get("error");
    if (error != null && error.isObject()) {
      return fields(error);
    }
    if (error != null && error.isTextual()) {
      return new WireError(error.asText(), null, null, null, null);
    }
    if (node.has("message") || node.has("detail")
        || "error".equalsIgnoreCase(node.path("object").asText(""))) {
      return fields(node);
    }
    return null;
  }

  private WireError fields(JsonNode error) {
    JsonNode code = error.get("code");
    String message = message(error.get("message"));
    if (message == null) {
      message = validationDetail(error.get("detail"));
    }
    return new WireError(message, text(error.get("type")), text(error.get("param")),
        code == null || code.isNull() ? null : code.asText(),
        text(error.path("innererror").get("code")));
  }

  /**
   * A message as text: a plain string as is; a validation report (Mistral sends {@code {"detail":[...]}}
   * as an object, a list, or a JSON string) as its locations and messages only.
   */
  private @Nullable String message(@Nullable JsonNode message) {
    if (message == null || message.isNull()) {
      return null;
    }
    if (message.isTextual()) {
      String t = message.asText();
      if (t.startsWith("{") && t.contains("\"detail\"")) {
        try {
          String detail = validationDetail(mapper.readTree(t).get("detail"));
          if (detail != null) {
            return detail;
          }
        } catch (IOException | RuntimeException e) {
          return "(an unreadable validation report)"; // may quote the request: never pass it on
        }
      }
      return t;
    }
    if (message.isObject()) {
      return validationDetail(message.get("detail"));
    }
    return message.isArray() ? validationDetail(message) : null;
  }

  /** {@code [{loc, msg, input}]} as {@code "loc: msg; ..."}; the {@code input} is never kept. */
  private static @Nullable String validationDetail(@Nullable JsonNode detail) {
    if (detail == null || !detail.isArray() || detail.isEmpty()) {
      return detail != null && detail.isTextual() ? detail.asText() : null;
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : detail) {
      List<String> loc = new ArrayList<>();
      for (JsonNode part : item.path("loc")) {
        loc.add(part.asText());
      }
      String msg = text(item.get("msg"));
      items.add((loc.isEmpty() ? "" : String.join(".", loc) + ": ")
          + (msg != null ? msg : text(item.get("type"))));
    }
    return String.join("; ", items);
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
  }

  private static @Nullable String lower(@Nullable String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  /** The fields of an error body, each null when absent. */
  private record WireError(@Nullable String message, @Nullable String type, @Nullable String param,
      @Nullable String code, @Nullable String innerCode) {

    static final WireError EMPTY = new WireError(null, null, null, null, null);

    @Nullable Integer numericCode() {
      if (code == null) {
        return null;
      }
      try {
        return Integer.valueOf(code);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    String describe() {
      StringBuilder sb = new StringBuilder();
      String kind = code != null && numericCode() == null ? code : type;
      if (kind != null) {
        sb.append(" (").append(kind).append(')');
      }
      if (message != null && !message.isBlank()) {
        sb.append(": ").append(message);
      }
      return sb.toString();
    }
  }

  private String scrub(String message) {
    String scrubbed = SecretRedaction.scrub(message, secrets.get());
    return scrubbed.length() <= MAX_MESSAGE_CHARS
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}

package dev.llmgateway.provider.anthropic.internal;

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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps an Anthropic error (an HTTP error status with its body, or an {@code event: error} in the middle
 * of a stream) to the exception hierarchy.
 *
 * <p>The body is {@code {"type":"error","error":{"type","message"},"request_id"}}; a body that is not
 * that (a 413 from Cloudflare, an HTML page from a proxy) is described by its status, content type and
 * size only. Rules, by HTTP status (or, mid-stream, by the status the error type stands for):
 *
 * <ul>
 *   <li>400 {@code invalid_request_error}: {@link InvalidRequestException}, except "prompt is too long"
 *       and "input length and `max_tokens` exceed context limit", which are
 *       {@link ContextLengthExceededException};
 *   <li>401 {@code authentication_error}, 403 {@code permission_error}: {@link AuthenticationException};
 *   <li>402 {@code billing_error}: {@link RateLimitedException} marked not retryable, like OpenAI's
 *       {@code insufficient_quota}: the account cannot pay, so retrying the same deployment is useless,
 *       but a router may still fall back to another account;
 *   <li>404 {@code not_found_error}, 413 {@code request_too_large} and other 4xx:
 *       {@link InvalidRequestException};
 *   <li>408: {@link LlmTimeoutException}; 409: {@link ProviderUnavailableException};
 *   <li>429 {@code rate_limit_error}: {@link RateLimitedException};
 *   <li>500 {@code api_error}, 529 {@code overloaded_error} and every other 5xx:
 *       {@link ProviderUnavailableException}.
 * </ul>
 *
 * <p>A present {@code x-should-retry} header overrides the type's retry verdict. The wait comes from
 * {@link RetrySignals#retryAfter} ({@code retry-after-ms}, {@code retry-after}) or, lacking those, from the
 * RFC 3339 {@code anthropic-ratelimit-*-reset} time of a limit whose {@code -remaining} is 0. The request
 * id is the {@code request-id} header, else the body's {@code request_id}.
 *
 * <p>The provider's message is kept (it helps, and holds no prompt text), shortened, and scrubbed of the
 * configured keys and anything key-like with {@link SecretRedaction}.
 */
public final class AnthropicErrorDecoder {
  private static final int MAX_MESSAGE_CHARS = 500;
  private static final List<String> RATE_LIMITS =
      List.of("requests", "tokens", "input-tokens", "output-tokens");

  private final ObjectMapper mapper;
  private final String providerLabel;
  private final List<Secret> secrets;
  private final Clock clock;

  /**
   * @param mapper parses error bodies
   * @param providerLabel names the provider in messages, e.g. {@code anthropic}
   * @param secrets keys to scrub from provider messages
   * @param clock the time reset dates are measured from
   */
  public AnthropicErrorDecoder(ObjectMapper mapper, String providerLabel, List<Secret> secrets,
      Clock clock) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.providerLabel = Objects.requireNonNull(providerLabel, "providerLabel");
    this.secrets = List.copyOf(secrets);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The error that a response with HTTP status {@code status} and this body describes. */
  public LlmException fromHttp(int status, Headers headers, byte[] body, @Nullable String contentType,
      ErrorContext base) {
    ErrorContext context = base.withHttpStatus(status)
        .withRetryAfter(retryAfter(headers, clock.instant()));
    JsonNode root = parse(body);
    WireError error = root == null ? null : read(root);
    if (context.requestId() == null && root != null) {
      context = context.withRequestId(text(root.get("request_id")));
    }
    String message;
    if (error == null) {
      error = new WireError(null, null);
      message = providerLabel + " answered HTTP " + status + (body.length == 0
          ? " with an empty body"
          : " with a body that is not an API error (" + (contentType != null ? contentType
              : "no content type") + ", " + body.length + " bytes)");
    } else {
      message = providerLabel + " answered HTTP " + status + error.describe();
    }
    return classify(status, error, message, context, RetrySignals.shouldRetry(headers));
  }

  /**
   * The error an {@code event: error} of a stream carried, e.g.
   * {@code {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}. The error type
   * stands for its HTTP status (overloaded_error as 529 and so on).
   */
  public LlmException fromStreamError(JsonNode payload, ErrorContext base) {
    WireError error = read(payload);
    if (error == null) {
      error = new WireError(null, null);
    }
    ErrorContext context = base;
    if (context.requestId() == null) {
      context = context.withRequestId(text(payload.get("request_id")));
    }
    String message = providerLabel + " reported an error mid-stream" + error.describe();
    return classify(statusOf(error.type()), error, message, context, null);
  }

  /** The HTTP status Anthropic documents for an error type; -1 for an unknown type. */
  static int statusOf(@Nullable String type) {
    if (type == null) {
      return -1;
    }
    return switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "api_error" -> 500;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      default -> -1;
    };
  }

  private LlmException classify(int status, WireError error, String message, ErrorContext context,
      @Nullable Boolean shouldRetry) {
    message = scrub(message);
    if (status == 402) {
      context = context.withRetryable(Boolean.FALSE);
    }
    if (shouldRetry != null) {
      context = context.withRetryable(shouldRetry);
    }
    if (status == 400 && isContextOverflow(error.message())) {
      return new ContextLengthExceededException(message, context, null);
    }
    if (status == 401 || status == 403) {
      return new AuthenticationException(message, context, null);
    }
    if (status == 402 || status == 429) {
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
    // an unknown error type mid-stream, or an odd status: assume the provider's side
    return new ProviderUnavailableException(message, context, null);
  }

  /** Whether an {@code invalid_request_error} message says the context window was overrun. */
  static boolean isContextOverflow(@Nullable String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("prompt is too long") || m.contains("exceed context limit");
  }

  /**
   * How long to wait: {@code retry-after-ms} / {@code retry-after} when present, else the latest
   * {@code anthropic-ratelimit-<limit>-reset} among limits whose {@code -remaining} is 0; null when the
   * headers do not say.
   */
  static @Nullable Duration retryAfter(Headers headers, Instant now) {
    Duration explicit = RetrySignals.retryAfter(headers, now);
    if (explicit != null) {
      return explicit;
    }
    Duration longest = null;
    for (String limit : RATE_LIMITS) {
      String remaining = headers.get("anthropic-ratelimit-" + limit + "-remaining");
      String reset = headers.get("anthropic-ratelimit-" + limit + "-reset");
      if (remaining == null || reset == null || !remaining.trim().equals("0")) {
        continue;
      }
      try {
        Duration wait = Duration.between(now, OffsetDateTime.parse(reset.trim()).toInstant());
        wait = wait.isNegative() ? Duration.ZERO : wait;
        if (longest == null || wait.compareTo(longest) > 0) {
          longest = wait;
        }
      } catch (DateTimeParseException e) {
        // an unparseable reset says nothing
      }
    }
    return longest;
  }

  private @Nullable JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      JsonNode node = mapper.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable WireError read(JsonNode root) {
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      return new WireError(text(error.get("type")), text(error.get("message")));
    }
    if (error != null && error.isTextual()) {
      return new WireError(null, error.asText());
    }
    return null;
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private String scrub(String message) {
    String scrubbed = SecretRedaction.scrub(message, secrets);
    return scrubbed.length() <= MAX_MESSAGE_CHARS
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  /** The {@code error} object of a body, each field null when absent. */
  private record WireError(@Nullable String type, @Nullable String message) {
    String describe() {
      StringBuilder sb = new StringBuilder();
      if (type != null) {
        sb.append(" (").append(type).append(')');
      }
      if (message != null && !message.isBlank()) {
        sb.append(": ").append(message);
      }
      return sb.toString();
    }
  }
}

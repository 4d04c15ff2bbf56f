package dev.llmgateway.provider.bedrock.internal;

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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Bedrock error (an HTTP error status, or an exception message in the middle of an event stream)
 * to the exception hierarchy.
 *
 * <p>An HTTP error's body is {@code {"message": "..."}} and its type is in the {@code x-amzn-ErrorType}
 * header (e.g. {@code ValidationException} or {@code ValidationException:http://internal...}; the part
 * after a colon is dropped), else in a body {@code __type} (the part after a {@code #} is kept). A stream
 * exception is a message whose {@code :message-type} is {@code exception}, typed by
 * {@code :exception-type} ({@code throttlingException}...) with the same {@code {"message"}} payload.
 * Types are compared without regard to case. Rules:
 *
 * <ul>
 *   <li>{@code ValidationException} (400): {@link ContextLengthExceededException} when the message says
 *       the input is too long (wording varies by model: "too long", "too many input tokens", "context
 *       window", "context length", "maximum context"), else {@link InvalidRequestException};
 *   <li>{@code AccessDeniedException} (403), {@code UnrecognizedClientException}, and the signature and
 *       token failures ({@code InvalidSignatureException}, {@code IncompleteSignatureException},
 *       {@code ExpiredTokenException}, {@code MissingAuthenticationTokenException}...):
 *       {@link AuthenticationException};
 *   <li>{@code ResourceNotFoundException} (404): {@link InvalidRequestException};
 *   <li>{@code ThrottlingException} (429): {@link RateLimitedException};
 *       {@code ServiceQuotaExceededException}: {@link RateLimitedException} marked not retryable;
 *   <li>{@code ModelTimeoutException} (408): {@link LlmTimeoutException};
 *   <li>{@code ModelNotReadyException} (429): {@link ProviderUnavailableException}, retryable: the model
 *       is being loaded, which is not the caller's rate;
 *   <li>{@code ModelErrorException} (424): {@link ProviderUnavailableException} marked not retryable:
 *       the model failed on this input, so the same request would fail again, but a router may fall back;
 *   <li>{@code InternalServerException} (500), {@code ServiceUnavailableException} (503),
 *       {@code ModelStreamErrorException}: {@link ProviderUnavailableException};
 *   <li>an unknown or missing type: by HTTP status (401/403 authentication, 408 timeout, 429 rate
 *       limited, 424 as above, other 4xx invalid request, 5xx unavailable); mid-stream, unavailable.
 * </ul>
 *
 * <p>The wait, when the headers say one, comes from {@link RetrySignals#retryAfter}. The provider's
 * message is kept, but cut before "The Canonical String for this request" (a signature failure echoes
 * the canonical request, which includes the session token), scrubbed of the configured secrets with
 * {@link SecretRedaction}, and shortened.
 */
public final class BedrockErrorDecoder {
  private static final int MAX_MESSAGE_CHARS = 500;
  private static final List<String> CONTEXT_OVERFLOW = List.of("too long", "too many input tokens",
      "too many tokens", "context window", "context length", "maximum context");
  private static final List<String> AUTH_TYPES = List.of("accessdeniedexception",
      "unrecognizedclientexception", "invalidsignatureexception", "incompletesignatureexception",
      "expiredtokenexception", "missingauthenticationtokenexception", "invalidclienttokenid",
      "signaturedoesnotmatch", "authfailure");

  private final ObjectMapper mapper;
  private final String providerLabel;
  private final List<Secret> secrets;
  private final Clock clock;

  /**
   * @param mapper parses error bodies and payloads
   * @param providerLabel names the provider in messages, e.g. {@code bedrock}
   * @param secrets values to scrub from provider messages (secret key, session token, API keys)
   * @param clock the time retry-after dates are measured from
   */
  public BedrockErrorDecoder(ObjectMapper mapper, String providerLabel, List<Secret> secrets,
      Clock clock) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.providerLabel = Objects.requireNonNull(providerLabel, "providerLabel");
    this.secrets = List.copyOf(secrets);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The error that a response with HTTP status {@code status}, these headers and this body describes. */
  public LlmException fromHttp(int status, Headers headers, byte[] body, @Nullable String contentType,
      ErrorContext base) {
    ErrorContext context = base.withHttpStatus(status)
        .withRetryAfter(RetrySignals.retryAfter(headers, clock.instant()));
    JsonNode root = parse(body);
    String type = errorType(headers.get("x-amzn-ErrorType"));
    if (type == null && root != null) {
      type = errorType(text(root.get("__type")));
    }
    String providerMessage = root == null ? null : message(root);
    String message;
    if (type == null && providerMessage == null) {
      message = providerLabel + " answered HTTP " + status + (body.length == 0
          ? " with an empty body"
          : " with a body that is not an API error (" + (contentType != null ? contentType
              : "no content type") + ", " + body.length + " bytes)");
    } else {
      message = providerLabel + " answered HTTP " + status + describe(type, providerMessage);
    }
    return classify(type, status, providerMessage, message, context);
  }

  /**
   * The error a stream's exception message carried.
   *
   * @param exceptionType the {@code :exception-type} (or {@code :error-code}) header; null if absent
   * @param payload the message payload, usually {@code {"message": "..."}}
   * @param fallbackMessage a message to use when the payload has none (an {@code :error-message}); may
   *     be null
   */
  public LlmException fromStreamException(@Nullable String exceptionType, byte[] payload,
      @Nullable String fallbackMessage, ErrorContext base) {
    JsonNode root = parse(payload);
    String providerMessage = root == null ? null : message(root);
    if (providerMessage == null) {
      providerMessage = fallbackMessage;
    }
    String type = errorType(exceptionType);
    String message = providerLabel + " reported an error mid-stream"
        + describe(type, providerMessage);
    return classify(type, -1, providerMessage, message, base);
  }

  private LlmException classify(@Nullable String type, int status, @Nullable String providerMessage,
      String rawMessage, ErrorContext context) {
    String message = scrub(rawMessage);
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (t.equals("validationexception")) {
      return isContextOverflow(providerMessage)
          ? new ContextLengthExceededException(message, context, null)
          : new InvalidRequestException(message, context, null);
    }
    if (AUTH_TYPES.contains(t)) {
      return new AuthenticationException(message, context, null);
    }
    switch (t) {
      case "resourcenotfoundexception" -> {
        return new InvalidRequestException(message, context, null);
      }
      case "throttlingexception", "toomanyrequestsexception" -> {
        return new RateLimitedException(message, context, null);
      }
      case "servicequotaexceededexception" -> {
        return new RateLimitedException(message, context.withRetryable(Boolean.FALSE), null);
      }
      case "modeltimeoutexception" -> {
        return new LlmTimeoutException(message, context, null);
      }
      case "modelnotreadyexception", "internalserverexception", "serviceunavailableexception",
          "modelstreamerrorexception" -> {
        return new ProviderUnavailableException(message, context, null);
      }
      case "modelerrorexception" -> {
        return new ProviderUnavailableException(message, context.withRetryable(Boolean.FALSE), null);
      }
      default -> {
        // unknown or missing type: go by the status
      }
    }
    if (status == 400 && isContextOverflow(providerMessage)) {
      return new ContextLengthExceededException(message, context, null);
    }
    if (status == 401 || status == 403) {
      return new AuthenticationException(message, context, null);
    }
    if (status == 408) {
      return new LlmTimeoutException(message, context, null);
    }
    if (status == 429) {
      return new RateLimitedException(message, context, null);
    }
    if (status == 424) {
      return new ProviderUnavailableException(message, context.withRetryable(Boolean.FALSE), null);
    }
    if (status >= 400 && status < 500) {
      return new InvalidRequestException(message, context, null);
    }
    return new ProviderUnavailableException(message, context, null);
  }

  /** Whether a validation message says the input overran the model's context window. */
  static boolean isContextOverflow(@Nullable String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return CONTEXT_OVERFLOW.stream().anyMatch(m::contains);
  }

  /**
   * An error type as sent, normalized: {@code ValidationException:http://...} and
   * {@code com.amazon.coral#ValidationException} both give {@code ValidationException}; null when blank.
   */
  static @Nullable String errorType(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    String t = raw.strip();
    int colon = t.indexOf(':');
    if (colon >= 0) {
      t = t.substring(0, colon);
    }
    int hash = t.lastIndexOf('#');
    if (hash >= 0) {
      t = t.substring(hash + 1);
    }
    t = t.strip();
    return t.isEmpty() ? null : t;
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

  private static @Nullable String message(JsonNode root) {
    for (String field : List.of("message", "Message", "errorMessage")) {
      String m = text(root.get(field));
      if (m != null && !m.isBlank()) {
        return m;
      }
    }
    return null;
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private static String describe(@Nullable String type, @Nullable String providerMessage) {
    StringBuilder sb = new StringBuilder();
    if (type != null) {
      sb.append(" (").append(type).append(')');
    }
    if (providerMessage != null && !providerMessage.isBlank()) {
      sb.append(": ").append(providerMessage.strip());
    }
    return sb.toString();
  }

  private String scrub(String message) {
    String m = message;
    int canonical = m.indexOf("The Canonical String for this request");
    if (canonical >= 0) {
      m = m.substring(0, canonical).strip();
    }
    m = SecretRedaction.scrub(m, secrets);
    return m.length() <= MAX_MESSAGE_CHARS ? m : m.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}

package dev.llmgateway.provider.ollama.internal;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps an Ollama error to the exception hierarchy: an HTTP error status with its body, or an
 * {@code {"error": "..."}} line in the middle of an NDJSON stream (or in a 200 body).
 *
 * <p>Ollama's error body is only {@code {"error": "<message>"}} (an object with a {@code message} is
 * accepted too, for proxies and the cloud). A body that is not that (a proxy's HTML page, Go's plain-text
 * {@code 404 page not found} when the base URL points at something else) is described by status, content
 * type and size only. Rules, by HTTP status:
 *
 * <ul>
 *   <li>a message saying the prompt does not fit the context ({@code exceed_context_size_error},
 *       "exceeds the available context size", "longer than the context length", "exceeds the context
 *       length"), at any status: {@link ContextLengthExceededException}. Ollama normally truncates an
 *       over-long prompt silently; it answers so only when asked not to ({@code truncate: false} or
 *       {@code shift: false} in provider options) and in some older versions (which used HTTP 500);
 *   <li>400 and other 4xx: {@link InvalidRequestException};
 *   <li>404 {@code model 'x' not found}: {@link InvalidRequestException} naming the model and how to pull
 *       it; any other 404 says to check that the base URL is an Ollama server;
 *   <li>401, 403 (Ollama's cloud without a valid key): {@link AuthenticationException}; the
 *       {@code signin_url} the cloud adds is not repeated;
 *   <li>408: {@link LlmTimeoutException}; 429: {@link RateLimitedException} with the
 *       {@code retry-after} wait when sent;
 *   <li>500, 502, 503 and every other 5xx: {@link ProviderUnavailableException}.
 * </ul>
 *
 * <p>A mid-stream error line has no status: it is a {@link ContextLengthExceededException} when its
 * message says so, else a {@link ProviderUnavailableException} (the server failed while generating).
 * Ollama sends no request-id header; the caller puts an {@code x-request-id}, when a proxy adds one, into
 * the context. Messages are shortened and scrubbed of the configured keys and anything key-like.
 */
public final class OllamaErrorDecoder {
  private static final int MAX_MESSAGE_CHARS = 500;
  private static final Pattern MODEL_NOT_FOUND =
      Pattern.compile("model ['\"]?([^'\"]+?)['\"]? not found", Pattern.CASE_INSENSITIVE);

  private final ObjectMapper mapper;
  private final String providerLabel;
  private final String baseUrl;
  private final List<Secret> secrets;
  private final Clock clock;

  /**
   * @param mapper parses error bodies
   * @param providerLabel names the provider in messages, e.g. {@code ollama}
   * @param baseUrl the server's base URL, named in hints (without credentials)
   * @param secrets keys to scrub from provider messages
   * @param clock the time {@code retry-after} dates are measured from
   */
  public OllamaErrorDecoder(ObjectMapper mapper, String providerLabel, String baseUrl,
      List<Secret> secrets, Clock clock) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.providerLabel = Objects.requireNonNull(providerLabel, "providerLabel");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.secrets = List.copyOf(secrets);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The error that a response with HTTP status {@code status} and this body describes. */
  public LlmException fromHttp(int status, Headers headers, byte[] body, @Nullable String contentType,
      ErrorContext base) {
    ErrorContext context = base.withHttpStatus(status)
        .withRetryAfter(RetrySignals.retryAfter(headers, clock.instant()));
    String error = errorMessage(parse(body));
    if (error == null) {
      String description = providerLabel + " answered HTTP " + status + (body.length == 0
          ? " with an empty body"
          : " with a body that is not an Ollama error (" + (contentType != null ? contentType
              : "no content type") + ", " + body.length + " bytes)");
      if (status == 404) {
        return new InvalidRequestException(scrub(description + "; check that " + baseUrl
            + " is an Ollama server (requests go to " + baseUrl + "/api/chat)"), context, null);
      }
      return classify(status, null, description, context);
    }
    if (status == 404) {
      Matcher m = MODEL_NOT_FOUND.matcher(error);
      if (m.find()) {
        String model = m.group(1);
        return new InvalidRequestException(scrub("model '" + model + "' not found on the "
            + providerLabel + " server at " + baseUrl + "; pull it first (ollama pull " + model
            + ")"), context, null);
      }
    }
    return classify(status, error, providerLabel + " answered HTTP " + status + ": " + error,
        context);
  }

  /** The error an {@code {"error": "..."}} line of an NDJSON stream carried. */
  public LlmException fromStreamError(JsonNode payload, ErrorContext base) {
    return fromErrorObject(payload, base, " mid-stream");
  }

  /** The error an {@code {"error": "..."}} body of a successful (HTTP 2xx) response carried. */
  public LlmException fromErrorBody(JsonNode payload, ErrorContext base) {
    return fromErrorObject(payload, base, " instead of an answer");
  }

  private LlmException fromErrorObject(JsonNode payload, ErrorContext base, String where) {
    String error = errorMessage(payload);
    String message = providerLabel + " reported an error" + where
        + (error != null && !error.isBlank() ? ": " + error : "");
    if (isContextOverflow(error)) {
      return new ContextLengthExceededException(scrub(message), base, null);
    }
    return new ProviderUnavailableException(scrub(message), base, null);
  }

  /** The {@code error} text of an Ollama error object; null when {@code root} is not one. */
  public static @Nullable String errorMessage(@Nullable JsonNode root) {
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error == null || error.isNull()) {
      return null;
    }
    if (error.isTextual()) {
      return error.asText();
    }
    if (error.isObject()) {
      JsonNode message = error.get("message");
      return message != null && message.isTextual() ? message.asText() : error.toString();
    }
    return error.toString();
  }

  /** Whether an error message says the prompt does not fit the model's context. */
  static boolean isContextOverflow(@Nullable String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("exceed_context_size_error")) {
      return true;
    }
    boolean aboutContext = m.contains("context length") || m.contains("context size")
        || m.contains("context window");
    return aboutContext && (m.contains("exceed") || m.contains("longer than")
        || m.contains("too long"));
  }

  private LlmException classify(int status, @Nullable String error, String message,
      ErrorContext context) {
    String safe = scrub(message);
    if (isContextOverflow(error)) {
      return new ContextLengthExceededException(safe, context, null);
    }
    if (status == 401 || status == 403) {
      return new AuthenticationException(safe, context, null);
    }
    if (status == 408) {
      return new LlmTimeoutException(safe, context, null);
    }
    if (status == 429) {
      return new RateLimitedException(safe, context, null);
    }
    if (status >= 400 && status < 500) {
      return new InvalidRequestException(safe, context, null);
    }
    return new ProviderUnavailableException(safe, context, null);
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

  private String scrub(String message) {
    String scrubbed = SecretRedaction.scrub(message, secrets);
    return scrubbed.length() <= MAX_MESSAGE_CHARS
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}

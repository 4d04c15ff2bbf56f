package dev.llmgateway.provider.gemini.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class GeminiErrorDecoderTest {
  private static final String KEY = "AIzaSyD-0123456789abcdefghijklmnopqrstu";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final GeminiErrorDecoder decoder = new GeminiErrorDecoder(new ObjectMapper(), "gemini",
      List.of(Secret.of(KEY)), Clock.fixed(NOW, ZoneOffset.UTC));
  private final ErrorContext base = ErrorContext.of("gemini", "gemini-2.5-pro");

  @Test
  void inputTokenOverflowIsContextLengthExceeded() {
    LlmException e = fromHttp(400, error(400, "INVALID_ARGUMENT",
        "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."));
    assertThat(e).isInstanceOf(ContextLengthExceededException.class)
        .hasMessageContaining("1048576");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void otherBadRequestsAreInvalidRequests() {
    assertThat(fromHttp(400, error(400, "FAILED_PRECONDITION",
        "User location is not supported for the API use."))).isExactlyInstanceOf(
        InvalidRequestException.class);
    assertThat(fromHttp(400, error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")))
        .isExactlyInstanceOf(InvalidRequestException.class);
  }

  @Test
  void unauthenticatedAndPermissionDeniedAreAuthenticationErrors() {
    assertThat(fromHttp(401, error(401, "UNAUTHENTICATED", "Request had invalid credentials.")))
        .isInstanceOf(AuthenticationException.class);
    assertThat(fromHttp(403, error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered"
        + " callers."))).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void serverSideFailuresAreUnavailableAndDeadlinesAreTimeouts() {
    assertThat(fromHttp(500, error(500, "INTERNAL", "An internal error has occurred.")))
        .isInstanceOf(ProviderUnavailableException.class);
    assertThat(fromHttp(503, error(503, "UNAVAILABLE", "The model is overloaded.")))
        .isInstanceOf(ProviderUnavailableException.class)
        .satisfies(e -> assertThat(e.isRetryable()).isTrue());
    assertThat(fromHttp(504, error(504, "DEADLINE_EXCEEDED", "Deadline expired.")))
        .isInstanceOf(LlmTimeoutException.class)
        .satisfies(e -> assertThat(e.isRetryable()).isTrue());
  }

  @Test
  void retryAfterHeaderIsUsedWhenThereIsNoRetryInfo() {
    LlmException e = decoder.fromHttp(429, Headers.of("retry-after", "7"),
        error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
        "application/json", base);
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void dailyQuotaIsNotRetryable() {
    String body = "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota.\","
        + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
        + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaId\":"
        + "\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\",\"quotaValue\":\"50\"}]},"
        + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"13s\"}]}}";
    LlmException e = fromHttp(429, body.getBytes(StandardCharsets.UTF_8));
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(13));
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void keysEchoedByTheProviderAreScrubbed() {
    LlmException e = fromHttp(400, error(400, "INVALID_ARGUMENT", "Key " + KEY + " is bad, and so is"
        + " AIzaSyAnotherKey-abcdefghijklmnopqrstuvwx"));
    assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("AIzaSyAnother")
        .contains("[redacted]");
  }

  @Test
  void nonJsonBodiesAreDescribedBySizeOnly() {
    LlmException e = decoder.fromHttp(502, Headers.of(),
        "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), "text/html", base);
    assertThat(e).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("non-JSON body (text/html, 24 bytes)");
    assertThat(decoder.fromHttp(500, Headers.of(), new byte[0], null, base))
        .hasMessageContaining("empty body");
  }

  @Test
  void streamedErrorArrayIsUnwrapped() {
    byte[] body = ("[" + new String(error(429, "RESOURCE_EXHAUSTED", "slow down"),
        StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
    assertThat(fromHttp(429, body)).isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("slow down");
  }

  @Test
  void parsesProtobufDurations() {
    assertThat(GeminiErrorDecoder.parseDuration("34.4s")).isEqualTo(Duration.ofMillis(34_400));
    assertThat(GeminiErrorDecoder.parseDuration("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(GeminiErrorDecoder.parseDuration(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(GeminiErrorDecoder.parseDuration("34.4")).isNull();
    assertThat(GeminiErrorDecoder.parseDuration("soon")).isNull();
    assertThat(GeminiErrorDecoder.parseDuration(null)).isNull();
  }

  private LlmException fromHttp(int status, byte[] body) {
    return decoder.fromHttp(status, Headers.of(), body, "application/json", base);
  }

  private static byte[] error(int code, String status, String message) {
    return ("{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status
        + "\"}}").getBytes(StandardCharsets.UTF_8);
  }
}

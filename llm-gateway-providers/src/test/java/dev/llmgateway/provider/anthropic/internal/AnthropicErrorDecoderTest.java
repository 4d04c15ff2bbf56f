package dev.llmgateway.provider.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
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

class AnthropicErrorDecoderTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AnthropicErrorDecoder decoder = new AnthropicErrorDecoder(JSON, "anthropic",
      List.of(Secret.of("sk-ant-configured-key")), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void waitComesFromTheResetOfTheExhaustedLimit() {
    Headers headers = Headers.of(
        "anthropic-ratelimit-requests-remaining", "12",
        "anthropic-ratelimit-requests-reset", "2026-01-01T12:00:50Z",
        "anthropic-ratelimit-input-tokens-remaining", "0",
        "anthropic-ratelimit-input-tokens-reset", "2026-01-01T12:00:07Z",
        "anthropic-ratelimit-output-tokens-remaining", "0",
        "anthropic-ratelimit-output-tokens-reset", "2026-01-01T12:00:03Z");
    LlmException e = decoder.fromHttp(429, headers, bytes(
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"x\"}}"),
        "application/json", ErrorContext.of("anthropic", "m"));
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterHeaderWinsOverResets() {
    Headers headers = Headers.of("retry-after", "3",
        "anthropic-ratelimit-tokens-remaining", "0",
        "anthropic-ratelimit-tokens-reset", "2026-01-01T12:01:00Z");
    assertThat(AnthropicErrorDecoder.retryAfter(headers, NOW)).isEqualTo(Duration.ofSeconds(3));
    assertThat(AnthropicErrorDecoder.retryAfter(Headers.of(), NOW)).isNull();
    assertThat(AnthropicErrorDecoder.retryAfter(Headers.of(
        "anthropic-ratelimit-tokens-remaining", "0",
        "anthropic-ratelimit-tokens-reset", "garbage"), NOW)).isNull();
  }

  @Test
  void errorTypesStandForTheirStatuses() {
    assertThat(AnthropicErrorDecoder.statusOf("overloaded_error")).isEqualTo(529);
    assertThat(AnthropicErrorDecoder.statusOf("api_error")).isEqualTo(500);
    assertThat(AnthropicErrorDecoder.statusOf("rate_limit_error")).isEqualTo(429);
    assertThat(AnthropicErrorDecoder.statusOf("billing_error")).isEqualTo(402);
    assertThat(AnthropicErrorDecoder.statusOf("something_new")).isEqualTo(-1);
  }

  @Test
  void midStreamInvalidRequestAndBillingErrorsMapLikeTheirStatuses() throws Exception {
    LlmException tooLong = decoder.fromStreamError(JSON.readTree("""
        {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 5 tokens > 4 maximum"}}"""),
        ErrorContext.of("anthropic", "m"));
    assertThat(tooLong).isInstanceOf(dev.llmgateway.error.ContextLengthExceededException.class);
    LlmException billing = decoder.fromStreamError(JSON.readTree("""
        {"type":"error","error":{"type":"billing_error","message":"credit balance too low"}}"""),
        ErrorContext.of("anthropic", "m"));
    assertThat(billing).isInstanceOf(RateLimitedException.class);
    assertThat(billing.isRetryable()).isFalse();
    LlmException unknown = decoder.fromStreamError(JSON.readTree("{\"type\":\"error\"}"),
        ErrorContext.of("anthropic", "m"));
    assertThat(unknown.isRetryable()).isTrue();
  }

  @Test
  void longMessagesAreShortenedAndConfiguredKeysScrubbed() {
    String message = "key sk-ant-configured-key rejected; " + "x".repeat(2000);
    LlmException e = decoder.fromHttp(400, Headers.of(), bytes(
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + message
            + "\"}}"), "application/json", ErrorContext.of("anthropic", "m"));
    assertThat(e).isExactlyInstanceOf(InvalidRequestException.class);
    assertThat(e.getMessage()).doesNotContain("sk-ant-configured-key").contains("[redacted]");
    assertThat(e.getMessage().length()).isLessThan(700);
  }

  @Test
  void emptyBodyIsDescribed() {
    LlmException e = decoder.fromHttp(502, Headers.of(), new byte[0], null,
        ErrorContext.of("anthropic", "m"));
    assertThat(e.getMessage()).contains("HTTP 502").contains("empty body");
    assertThat(e.isRetryable()).isTrue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

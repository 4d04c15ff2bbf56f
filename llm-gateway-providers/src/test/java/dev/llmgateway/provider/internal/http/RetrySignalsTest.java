package dev.llmgateway.provider.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetrySignalsTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  private static Duration retryAfter(String... namesAndValues) {
    return RetrySignals.retryAfter(Headers.of(namesAndValues), NOW);
  }

  @Test
  void prefersRetryAfterMsOverEverythingElse() {
    assertThat(retryAfter("retry-after-ms", "1500", "retry-after", "20",
        "x-ratelimit-reset-requests", "1m0s")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void readsFractionalRetryAfterMs() {
    assertThat(retryAfter("retry-after-ms", "12.5")).isEqualTo(Duration.ofNanos(12_500_000));
  }

  @Test
  void readsRetryAfterSeconds() {
    assertThat(retryAfter("retry-after", "20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(retryAfter("retry-after", " 1.5 ")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void readsRetryAfterHttpDate() {
    assertThat(retryAfter("retry-after", "Thu, 26 Nov 2026 10:00:30 GMT"))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aRetryAfterDateInThePastMeansNow() {
    assertThat(retryAfter("retry-after", "Thu, 26 Nov 2026 09:00:00 GMT")).isEqualTo(Duration.ZERO);
  }

  @Test
  void ignoresUnparseableValues() {
    assertThat(retryAfter("retry-after-ms", "soon", "retry-after", "later")).isNull();
    assertThat(retryAfter("retry-after-ms", "-5")).isNull();
    assertThat(retryAfter()).isNull();
  }

  @Test
  void fallsBackToOpenAiRateLimitResetDurations() {
    assertThat(retryAfter("x-ratelimit-reset-requests", "12ms")).isEqualTo(Duration.ofMillis(12));
    assertThat(retryAfter("x-ratelimit-reset-tokens", "6m0s")).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void prefersTheResetOfTheExhaustedLimit() {
    assertThat(retryAfter("x-ratelimit-reset-requests", "12ms", "x-ratelimit-reset-tokens", "6m0s",
        "x-ratelimit-remaining-requests", "0", "x-ratelimit-remaining-tokens", "1000"))
        .isEqualTo(Duration.ofMillis(12));
    assertThat(retryAfter("x-ratelimit-reset-requests", "12ms", "x-ratelimit-reset-tokens", "6m0s",
        "x-ratelimit-remaining-requests", "5", "x-ratelimit-remaining-tokens", "0"))
        .isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void takesTheLongerResetWhenNoLimitIsKnownExhausted() {
    assertThat(retryAfter("x-ratelimit-reset-requests", "1s", "x-ratelimit-reset-tokens", "2.5s"))
        .isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void parsesGoDurations() {
    assertThat(RetrySignals.parseDuration("1h2m3.5s"))
        .isEqualTo(Duration.ofHours(1).plusMinutes(2).plusMillis(3500));
    assertThat(RetrySignals.parseDuration("0s")).isEqualTo(Duration.ZERO);
    assertThat(RetrySignals.parseDuration("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(RetrySignals.parseDuration("7ns")).isEqualTo(Duration.ofNanos(7));
    assertThat(RetrySignals.parseDuration("6m")).isEqualTo(Duration.ofMinutes(6));
    assertThat(RetrySignals.parseDuration("12")).isNull();
    assertThat(RetrySignals.parseDuration("1x")).isNull();
    assertThat(RetrySignals.parseDuration("s")).isNull();
    assertThat(RetrySignals.parseDuration("1s garbage")).isNull();
    assertThat(RetrySignals.parseDuration(null)).isNull();
  }

  @Test
  void readsXShouldRetry() {
    assertThat(RetrySignals.shouldRetry(Headers.of("x-should-retry", "true"))).isTrue();
    assertThat(RetrySignals.shouldRetry(Headers.of("x-should-retry", "FALSE"))).isFalse();
    assertThat(RetrySignals.shouldRetry(Headers.of("x-should-retry", "maybe"))).isNull();
    assertThat(RetrySignals.shouldRetry(Headers.of())).isNull();
  }
}

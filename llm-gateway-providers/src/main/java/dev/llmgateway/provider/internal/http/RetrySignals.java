package dev.llmgateway.provider.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a provider's response headers say about retrying: how long to wait and whether to retry at
 * all. Adapters put both into the {@link dev.llmgateway.error.ErrorContext} of the exception they throw;
 * the pipeline's retry step acts on them.
 *
 * <p>The wait is taken from, in order of preference: {@code retry-after-ms} (milliseconds, possibly
 * fractional), {@code retry-after} (seconds, or an HTTP date), then OpenAI's
 * {@code x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens} durations such as {@code 6m0s} or
 * {@code 12ms}. Of the two resets, the one whose {@code x-ratelimit-remaining-*} is {@code 0} wins (that is
 * the limit that was hit); when neither says so, the longer one. Unparseable values are ignored.
 */
public final class RetrySignals {
  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private RetrySignals() {}

  /** How long the provider asks to wait before retrying; null when the headers do not say. */
  public static @Nullable Duration retryAfter(Headers headers, Instant now) {
    Duration ms = parseMillis(headers.get("retry-after-ms"));
    if (ms != null) {
      return ms;
    }
    Duration retryAfter = parseRetryAfter(headers.get("retry-after"), now);
    if (retryAfter != null) {
      return retryAfter;
    }
    Duration requests = parseDuration(headers.get("x-ratelimit-reset-requests"));
    Duration tokens = parseDuration(headers.get("x-ratelimit-reset-tokens"));
    boolean requestsExhausted = "0".equals(trim(headers.get("x-ratelimit-remaining-requests")));
    boolean tokensExhausted = "0".equals(trim(headers.get("x-ratelimit-remaining-tokens")));
    if (requestsExhausted != tokensExhausted) {
      Duration hit = requestsExhausted ? requests : tokens;
      if (hit != null) {
        return hit;
      }
    }
    if (requests == null) {
      return tokens;
    }
    return tokens == null || requests.compareTo(tokens) >= 0 ? requests : tokens;
  }

  /**
   * The provider's explicit verdict in {@code x-should-retry} ({@code true}/{@code false}, any case), which
   * overrides the status-based default; null when absent or neither value.
   */
  public static @Nullable Boolean shouldRetry(Headers headers) {
    String value = trim(headers.get("x-should-retry"));
    if ("true".equalsIgnoreCase(value)) {
      return Boolean.TRUE;
    }
    if ("false".equalsIgnoreCase(value)) {
      return Boolean.FALSE;
    }
    return null;
  }

  /** A {@code retry-after-ms} value: non-negative milliseconds, possibly fractional. */
  static @Nullable Duration parseMillis(@Nullable String value) {
    String v = trim(value);
    if (v == null || !NUMBER.matcher(v).matches()) {
      return null;
    }
    return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1_000_000d));
  }

  /** A {@code retry-after} value: delay seconds, or an HTTP date (a date in the past means now). */
  static @Nullable Duration parseRetryAfter(@Nullable String value, Instant now) {
    String v = trim(value);
    if (v == null) {
      return null;
    }
    if (NUMBER.matcher(v).matches()) {
      return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1_000_000_000d));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * A Go-style duration as OpenAI sends in {@code x-ratelimit-reset-*}: one or more number-unit pairs
   * such as {@code 6m0s}, {@code 12ms}, {@code 1.5s}, {@code 1h2m3s}; null when it is not one.
   */
  public static @Nullable Duration parseDuration(@Nullable String value) {
    String v = trim(value);
    if (v == null) {
      return null;
    }
    v = v.toLowerCase(Locale.ROOT);
    Matcher m = DURATION_PART.matcher(v);
    double nanos = 0;
    int position = 0;
    while (position < v.length()) {
      if (!m.find(position) || m.start() != position) {
        return null;
      }
      double amount = Double.parseDouble(m.group(1));
      nanos += amount * switch (m.group(2)) {
        case "ns" -> 1d;
        case "us", "µs", "μs" -> 1_000d;
        case "ms" -> 1_000_000d;
        case "s" -> 1_000_000_000d;
        case "m" -> 60_000_000_000d;
        default -> 3_600_000_000_000d; // h
      };
      position = m.end();
    }
    return position == 0 ? null : Duration.ofNanos(Math.round(nanos));
  }

  private static @Nullable String trim(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String t = value.trim();
    return t.isEmpty() ? null : t;
  }
}

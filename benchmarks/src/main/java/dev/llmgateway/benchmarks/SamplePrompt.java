package dev.llmgateway.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * A realistic prompt of exactly one kilobyte (1024 bytes of UTF-8, all ASCII): English prose asking for a
 * code review, a Java snippet, and a few numbers and dates, the mix a chat prompt usually has. Built in
 * code, so every benchmark counts the same text.
 */
final class SamplePrompt {
  /** The size of {@link #ONE_KB} in bytes (and characters): {@value}. */
  static final int BYTES = 1024;

  /** The prompt: exactly {@value #BYTES} bytes. */
  static final String ONE_KB = build();

  /** The system message sent with it. */
  static final String SYSTEM = "You are a careful senior Java reviewer. Answer briefly.";

  private SamplePrompt() {}

  private static String build() {
    String text = String.join("\n",
        "Hi! Our billing service started timing out on 2025-06-17, after we raised the connection pool",
        "from 16 to 64. p50 latency went from 42 ms to 310 ms and p99 from 180 ms to 2.4 s, while traffic",
        "stayed flat at about 1,250 requests per second. What is wrong with this method?",
        "",
        "```java",
        "public Invoice total(List<LineItem> items, Currency currency) {",
        "  BigDecimal sum = BigDecimal.ZERO;",
        "  for (LineItem item : items) {",
        "    Rate rate = rates.fetch(item.currency(), currency); // HTTP call, 30 ms timeout",
        "    sum = sum.add(item.amount().multiply(rate.value()).setScale(2, RoundingMode.HALF_UP));",
        "  }",
        "  return new Invoice(UUID.randomUUID(), sum, currency, Instant.now());",
        "}",
        "```",
        "",
        "An invoice has 3 to 12 line items in 2 currencies (EUR and USD, sometimes GBP). The rate service",
        "answers in about 8 ms when idle; we run 4 pods with 2 vCPUs each. Is rounding each line to 2",
        "decimals right for tax? Auditors found 0.03 EUR off on an invoice of 18,427.90 EUR.",
        "Please keep your answer under 300 words (bullet points are fine). Thanks so much!");
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != BYTES || bytes.length != text.length()) {
      throw new IllegalStateException("the sample prompt must be " + BYTES + " bytes of ASCII, was "
          + bytes.length + " bytes in " + text.length() + " characters");
    }
    return text;
  }
}

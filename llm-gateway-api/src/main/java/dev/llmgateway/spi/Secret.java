package dev.llmgateway.spi;

import dev.llmgateway.internal.Require;

/**
 * An API key or token. Its {@link #toString()} never shows the value, so a secret can sit in a settings
 * record that ends up in a log line without leaking.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(Require.nonBlank(value, "secret"));
  }

  /** The raw value, for the one place that writes it into a request header. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}

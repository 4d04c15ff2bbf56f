package dev.llmgateway.provider.internal.http;

import dev.llmgateway.spi.Secret;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Removes credentials from text taken from a provider's answer (an error message) before it goes into
 * an exception message. Providers sometimes echo the key they were given, masked or not (OpenAI's 401
 * says "Incorrect API key provided: sk-...abcd"); whatever they echo, none of it reaches a log.
 */
public final class SecretRedaction {
  /** Things that look like keys: OpenAI-style {@code sk-...} tokens, masked or not. */
  private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_*\\-.]{4,}");

  /** What a removed credential is replaced with. */
  public static final String REDACTED = "[redacted]";

  private SecretRedaction() {}

  /** {@code text} with every occurrence of each secret, and every key-like token, replaced. */
  public static String scrub(String text, Collection<Secret> secrets) {
    String result = text;
    for (Secret secret : secrets) {
      result = result.replace(secret.reveal(), REDACTED);
    }
    return KEY_LIKE.matcher(result).replaceAll(REDACTED);
  }
}

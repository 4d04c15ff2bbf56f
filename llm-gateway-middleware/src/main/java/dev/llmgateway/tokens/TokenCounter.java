package dev.llmgateway.tokens;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.tokens.internal.StandardTokenCounter;
import org.jspecify.annotations.Nullable;

/**
 * Counts the input tokens a request will cost, before it is sent. Rate limits, budget reservations and
 * cost estimates use it; after the call the provider's reported usage replaces it. Small enough for a
 * lambda:
 *
 * <pre>{@code
 * TokenCounter flat = (request, provider, model) -> 1_000;
 * }</pre>
 *
 * <p>{@link #standard()} is the default everywhere: exact counts for OpenAI model families when JTokkit is
 * on the class path, documented estimates otherwise.
 */
@FunctionalInterface
public interface TokenCounter {

  /**
   * The input tokens {@code request} will cost on {@code model} of {@code provider}: messages with their
   * framing, tool definitions, a response-format schema and images. At least 0.
   *
   * @param provider the gateway's provider name, e.g. {@code openai}; null when not known yet (an alias
   *     or model group the router resolves later)
   * @param model the provider's model name, e.g. {@code gpt-4o}; an alias or group name when the provider
   *     is not known
   */
  long countInputTokens(ChatRequest request, @Nullable String provider, String model);

  /**
   * The tokens of plain {@code text} on {@code model}, used to estimate the output of a call whose
   * provider reported no usage. Defaults to the characters divided by four, rounded up.
   */
  default long countText(String text, @Nullable String provider, String model) {
    return ((long) text.length() + 3) / 4;
  }

  /**
   * The counter the gateway uses by default: {@link OpenAiTokenCounter} (exact, OpenAI's own tokenizers)
   * for OpenAI model families ({@code gpt-4o}, {@code gpt-4.1}, {@code gpt-5}, {@code o}-series,
   * {@code gpt-4}, {@code gpt-3.5}) when JTokkit ({@code com.knuddels:jtokkit}) is on the class path;
   * {@link EstimatingTokenCounter#ANTHROPIC} for Claude models; {@link EstimatingTokenCounter#GENERIC}
   * for every other model, and for OpenAI models too when JTokkit is absent. Thread-safe; JTokkit's
   * vocabularies are loaded on first use, once per instance.
   */
  static TokenCounter standard() {
    return StandardTokenCounter.create(StandardTokenCounter.jtokkitPresent());
  }

  /** As {@link #standard()}, but never uses JTokkit: estimates only, even for OpenAI models. */
  static TokenCounter estimating() {
    return StandardTokenCounter.create(false);
  }

  /** Whether JTokkit is on the class path, so that {@link #standard()} counts OpenAI models exactly. */
  static boolean jtokkitAvailable() {
    return StandardTokenCounter.jtokkitPresent();
  }
}

package dev.llmgateway.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's token counts as they arrive, merged field by field: a stream reports the input side in
 * {@code message_start} and cumulative output (and, on recent models, the input side again) in
 * {@code message_delta}; each count that is present replaces the one seen before, because every count
 * is cumulative.
 *
 * <p>{@link #toUsage()} normalizes to the gateway's meaning: {@code input_tokens} excludes cached
 * tokens on Anthropic's wire, so input = {@code input_tokens} + {@code cache_creation_input_tokens} +
 * {@code cache_read_input_tokens}; cached = {@code cache_read_input_tokens}; cache writes =
 * {@code cache_creation_input_tokens}; output = {@code output_tokens}. Anthropic does not report
 * reasoning tokens apart from output tokens, so they stay 0.
 *
 * <p>Not thread-safe: one per stream.
 */
public final class AnthropicUsageTally {
  private @Nullable Long input;
  private @Nullable Long cacheCreation;
  private @Nullable Long cacheRead;
  private @Nullable Long output;
  private boolean seen;

  /** Takes the counts present in {@code usage} (an Anthropic {@code usage} object); ignores others. */
  public void merge(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    seen = true;
    input = count(usage.get("input_tokens"), input);
    cacheCreation = count(usage.get("cache_creation_input_tokens"), cacheCreation);
    cacheRead = count(usage.get("cache_read_input_tokens"), cacheRead);
    output = count(usage.get("output_tokens"), output);
  }

  /** Whether any usage object was merged. */
  public boolean seen() {
    return seen;
  }

  /** The merged counts in the gateway's terms (see the class comment); zeros where nothing arrived. */
  public Usage toUsage() {
    long creation = orZero(cacheCreation);
    long read = orZero(cacheRead);
    return new Usage(orZero(input) + creation + read, orZero(output), read, creation, 0, false);
  }

  /** The usage of one complete {@code usage} object; null when {@code usage} is absent. */
  public static @Nullable Usage of(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    AnthropicUsageTally tally = new AnthropicUsageTally();
    tally.merge(usage);
    return tally.toUsage();
  }

  private static @Nullable Long count(@Nullable JsonNode node, @Nullable Long previous) {
    if (node == null || !node.isNumber()) {
      return previous; // absent or null: keep what we had
    }
    return Math.max(0, node.asLong());
  }

  private static long orZero(@Nullable Long value) {
    return value == null ? 0 : value;
  }
}

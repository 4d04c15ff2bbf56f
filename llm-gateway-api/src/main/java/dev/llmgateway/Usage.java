package dev.llmgateway;

import dev.llmgateway.internal.Require;

/**
 * Tokens a call consumed, normalized across providers.
 *
 * <p>{@code inputTokens} counts every input token, including those read from or written to a prompt
 * cache; {@code cachedInputTokens} and {@code cacheWriteInputTokens} are the parts of it that were.
 * Likewise {@code outputTokens} includes {@code reasoningTokens}. (Anthropic reports cache tokens apart
 * from input tokens; its adapter adds them up so that every provider means the same thing here.)
 *
 * @param inputTokens all prompt tokens
 * @param outputTokens all generated tokens, reasoning included
 * @param cachedInputTokens prompt tokens served from the provider's cache
 * @param cacheWriteInputTokens prompt tokens written to the provider's cache
 * @param reasoningTokens generated tokens spent on hidden reasoning
 * @param estimated true when the provider reported nothing and these are the gateway's estimate
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens,
    long cacheWriteInputTokens, long reasoningTokens, boolean estimated) {

  /** No tokens. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false);

  public Usage {
    Require.check(inputTokens >= 0 && outputTokens >= 0 && cachedInputTokens >= 0
        && cacheWriteInputTokens >= 0 && reasoningTokens >= 0, "token counts must not be negative");
  }

  /** Input and output tokens only. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, false);
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}

package dev.llmgateway.routing;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.routing.internal.RoughTokenCount;

/**
 * Estimates how many input tokens a request will cost, before it is sent. The router uses it to skip
 * deployments whose context window cannot hold the request, to count tokens per minute before the
 * provider reports usage, and {@link LowestCostStrategy} and {@link UsageBasedStrategy} to compare
 * deployments. Plug in a real tokenizer for exact counts.
 */
@FunctionalInterface
public interface TokenEstimator {

  /**
   * A rough count, good enough for routing and free to compute: the characters of every text the model
   * reads (message text, tool calls and tool results, thinking, tool names, descriptions and parameter
   * schemas), divided by four and rounded up. Images are not counted. For English prose this is close to
   * OpenAI's and Anthropic's tokenizers; it undercounts languages such as Chinese or Japanese, which
   * use more tokens per character, so such traffic may see a context-length error that an exact count
   * would have avoided (the router then falls back as for any context-length error).
   */
  TokenEstimator CHARS_OVER_FOUR = RoughTokenCount::estimate;

  /** The estimated input tokens of {@code request}, at least 0. */
  long estimate(ChatRequest request);
}

package dev.llmgateway.cost;

import dev.llmgateway.Cost;
import dev.llmgateway.gateway.internal.Check;
import org.jspecify.annotations.Nullable;

/**
 * What a call is expected to cost, before it is sent: the budget reservation and the rate limiter's token
 * count.
 *
 * @param provider the provider the request's model resolves to for pricing; null when not known (an
 *     alias or model group the pricer was not told about)
 * @param model the model priced, or the request's model when unknown
 * @param inputTokens the token counter's count of the request
 * @param outputTokens the request's {@code maxTokens}, or the pricer's assumed output when it sets none
 * @param cost the tokens at the model's prices; null when no price is known
 */
public record CallEstimate(@Nullable String provider, String model, long inputTokens, long outputTokens,
    @Nullable Cost cost) {

  public CallEstimate {
    Check.nonNull(model, "callEstimate.model");
    Check.that(inputTokens >= 0 && outputTokens >= 0, "callEstimate token counts must not be negative");
  }

  /** Input and output tokens together. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}

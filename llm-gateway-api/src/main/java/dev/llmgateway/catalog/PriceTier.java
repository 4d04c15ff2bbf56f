package dev.llmgateway.catalog;

import dev.llmgateway.internal.Require;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The prices that apply to a request, in {@link ModelPricing#currency()} per million tokens. A model's
 * base prices form the tier with threshold 0 ({@link ModelPricing#baseTier()}); a long-context tier
 * (Gemini 2.5 Pro and Claude Sonnet 4/4.5 above 200,000 input tokens) applies to every token of a
 * request whose input tokens exceed {@code aboveInputTokens}.
 *
 * <p>Null cache and reasoning prices mean "no separate price": cached reads and cache writes are billed
 * as ordinary input, reasoning tokens as ordinary output. That is how providers without a cache-write
 * charge (OpenAI, Gemini) are represented. The {@code ...OrInput}/{@code ...OrOutput} accessors apply
 * that rule.
 *
 * @param aboveInputTokens the tier applies when a request's input tokens (uncached, cache reads and
 *     cache writes together) are strictly greater than this; 0 for the base tier
 * @param input uncached input tokens
 * @param cachedInputRead input tokens read from the provider's prompt cache; null for the input price
 * @param cachedInputWrite input tokens written to the prompt cache (Anthropic's 5-minute write); null for
 *     the input price
 * @param output output tokens
 * @param reasoning reasoning/thinking tokens; null for the output price
 */
public record PriceTier(long aboveInputTokens, BigDecimal input, @Nullable BigDecimal cachedInputRead,
    @Nullable BigDecimal cachedInputWrite, BigDecimal output, @Nullable BigDecimal reasoning) {

  private static final int PER_MILLION_SCALE = 6;

  public PriceTier {
    Require.check(aboveInputTokens >= 0,
        "priceTier.aboveInputTokens must be >= 0, was " + aboveInputTokens);
    checkPrice(Require.nonNull(input, "priceTier.input"), "input");
    checkPrice(cachedInputRead, "cachedInputRead");
    checkPrice(cachedInputWrite, "cachedInputWrite");
    checkPrice(Require.nonNull(output, "priceTier.output"), "output");
    checkPrice(reasoning, "reasoning");
  }

  private static void checkPrice(@Nullable BigDecimal price, String field) {
    Require.check(price == null || price.signum() >= 0,
        "priceTier." + field + " must be >= 0, was " + price);
  }

  /** The price of a cached read: {@link #cachedInputRead()}, or the input price when there is none. */
  public BigDecimal cachedInputReadOrInput() {
    return cachedInputRead != null ? cachedInputRead : input;
  }

  /** The price of a cache write: {@link #cachedInputWrite()}, or the input price when there is none. */
  public BigDecimal cachedInputWriteOrInput() {
    return cachedInputWrite != null ? cachedInputWrite : input;
  }

  /** The price of a reasoning token: {@link #reasoning()}, or the output price when there is none. */
  public BigDecimal reasoningOrOutput() {
    return reasoning != null ? reasoning : output;
  }

  /**
   * The exact cost of {@code tokens} tokens at {@code pricePerMillion}: {@code tokens * price / 10^6},
   * computed without rounding (dividing by a power of ten is exact in {@link BigDecimal}).
   */
  public static BigDecimal cost(long tokens, BigDecimal pricePerMillion) {
    Require.check(tokens >= 0, "tokens must be >= 0, was " + tokens);
    Require.nonNull(pricePerMillion, "pricePerMillion");
    return BigDecimal.valueOf(tokens).multiply(pricePerMillion).movePointLeft(PER_MILLION_SCALE);
  }
}

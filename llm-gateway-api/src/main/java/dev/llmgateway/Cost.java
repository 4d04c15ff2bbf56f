package dev.llmgateway;

import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;

/**
 * What a call cost, exactly: {@link BigDecimal} amounts in {@code currency}, never floating point, and
 * never rounded (a token's price per million divided by a million is exact in {@code BigDecimal}), so
 * that costs add up to the last digit. It lives in the API so that a {@link ChatResponse} can carry
 * its own cost; the middleware's cost accounting computes it.
 *
 * <p>An invalid cost (a negative part, a total that is not the sum, a bad currency code) is rejected
 * with an {@link LlmConfigurationException}.
 *
 * @param total the sum of the five parts
 * @param input uncached input tokens at the input price
 * @param cacheRead input tokens read from the provider's prompt cache, at the cache-read price
 * @param cacheWrite input tokens written to the prompt cache, at the cache-write price
 * @param output output tokens other than reasoning, at the output price
 * @param reasoning reasoning tokens, at the reasoning price (the output price where none is set)
 * @param currency an ISO 4217 code, e.g. {@code USD}
 * @param estimated true when the usage priced was the gateway's estimate, because the provider reported
 *     none
 */
public record Cost(BigDecimal total, BigDecimal input, BigDecimal cacheRead, BigDecimal cacheWrite,
    BigDecimal output, BigDecimal reasoning, String currency, boolean estimated) {

  public Cost {
    checkAmount(total, "cost.total");
    checkAmount(input, "cost.input");
    checkAmount(cacheRead, "cost.cacheRead");
    checkAmount(cacheWrite, "cost.cacheWrite");
    checkAmount(output, "cost.output");
    checkAmount(reasoning, "cost.reasoning");
    check(currency != null && currency.matches("[A-Z]{3}"),
        "cost.currency must be an ISO 4217 code such as USD, was '" + currency + "'");
    check(total.compareTo(input.add(cacheRead).add(cacheWrite).add(output).add(reasoning)) == 0,
        "cost.total " + total + " is not the sum of its parts");
  }

  /** A cost whose total is the sum of the given parts. */
  public static Cost of(BigDecimal input, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal output,
      BigDecimal reasoning, String currency, boolean estimated) {
    return new Cost(input.add(cacheRead).add(cacheWrite).add(output).add(reasoning), input, cacheRead,
        cacheWrite, output, reasoning, currency, estimated);
  }

  /** Nothing, in {@code currency}. */
  public static Cost zero(String currency) {
    return of(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        currency, false);
  }

  /**
   * The sum of this cost and {@code other}, part by part; estimated when either is.
   *
   * @throws IllegalArgumentException when the currencies differ
   */
  public Cost plus(Cost other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot add a cost in " + other.currency + " to one in " + currency);
    }
    return new Cost(total.add(other.total), input.add(other.input), cacheRead.add(other.cacheRead),
        cacheWrite.add(other.cacheWrite), output.add(other.output), reasoning.add(other.reasoning),
        currency, estimated || other.estimated);
  }

  private static void checkAmount(BigDecimal amount, String field) {
    check(amount != null, field + " must not be null");
    check(amount.signum() >= 0, field + " must not be negative, was " + amount);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new LlmConfigurationException(message);
    }
  }

  @Override
  public String toString() {
    return "Cost[" + total.toPlainString() + " " + currency + (estimated ? ", estimated" : "")
        + ": input=" + input.toPlainString() + ", cacheRead=" + cacheRead.toPlainString()
        + ", cacheWrite=" + cacheWrite.toPlainString() + ", output=" + output.toPlainString()
        + ", reasoning=" + reasoning.toPlainString() + "]";
  }
}

package dev.llmgateway.ledger;

import dev.llmgateway.gateway.internal.Check;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Usage summed over the records of one group of a {@link UsageQuery}.
 *
 * @param group the group's value for each grouping dimension; a dimension the records have no value for
 *     (no tenant, no such tag) is absent
 * @param calls how many records
 * @param inputTokens all input tokens, cached included
 * @param outputTokens all output tokens, reasoning included
 * @param cachedInputTokens input tokens read from a prompt cache
 * @param cacheWriteInputTokens input tokens written to a prompt cache
 * @param reasoningTokens reasoning tokens
 * @param estimatedCalls records whose usage was estimated by the gateway
 * @param unpricedCalls records without a cost (no known price for the model)
 * @param cost the summed cost by currency (records in different currencies are never added up); exact
 * @param totalLatency the records' latencies added up; with {@link #meanLatency()} it compares groups
 *     (e.g. the variants of an experiment) on speed
 * @param cacheHits records answered by a response cache
 * @param savedCost what the cache hits saved, by currency: the catalog price of the usage the original
 *     calls consumed; hits of unpriced models add nothing
 */
public record UsageTotals(Map<Dimension, String> group, long calls, long inputTokens, long outputTokens,
    long cachedInputTokens, long cacheWriteInputTokens, long reasoningTokens, long estimatedCalls,
    long unpricedCalls, Map<String, BigDecimal> cost, Duration totalLatency,
    long cacheHits, Map<String, BigDecimal> savedCost) {

  public UsageTotals {
    group = Check.copyOf(group, "usageTotals.group");
    cost = Check.copyOf(cost, "usageTotals.cost");
    Check.nonNull(totalLatency, "usageTotals.totalLatency");
    savedCost = Check.copyOf(savedCost, "usageTotals.savedCost");
  }

  /** What the group's cache hits saved in {@code currency}; zero when none was priced in it. */
  public BigDecimal savedCost(String currency) {
    return savedCost.getOrDefault(currency, BigDecimal.ZERO);
  }

  /** The mean latency of the group's calls; zero for a group without calls. */
  public Duration meanLatency() {
    return calls == 0 ? Duration.ZERO : totalLatency.dividedBy(calls);
  }

  /** Input and output tokens together. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** The summed cost in {@code currency}; zero when no record was priced in it. */
  public BigDecimal cost(String currency) {
    return cost.getOrDefault(currency, BigDecimal.ZERO);
  }

  /** The group's value for {@code dimension}; null when it has none. */
  public @Nullable String group(Dimension dimension) {
    return group.get(dimension);
  }
}

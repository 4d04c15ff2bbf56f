package dev.llmgateway.ledger;

import dev.llmgateway.CacheInfo;
import dev.llmgateway.Cost;
import dev.llmgateway.gateway.internal.Check;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which records to sum and how to group them: records whose {@link UsageRecord#time()} is in
 * {@code [from, to)} and that match every {@code where} filter, summed per distinct combination of the
 * {@code groupBy} dimensions' values.
 *
 * <pre>{@code
 * ledger.query(UsageQuery.builder(monthStart, monthEnd)
 *     .groupBy(Dimension.TENANT, Dimension.MODEL)
 *     .where(Dimension.tag("feature"), "search")
 *     .build());
 * }</pre>
 *
 * <p>{@link #aggregate} does the summing, so that any ledger that can list records answers queries the
 * same way.
 *
 * @param from the first instant included
 * @param to the first instant excluded; after {@code from}
 * @param groupBy the dimensions to group by, in order; empty for one total
 * @param where required values: a record matches when its value for each dimension equals the given one
 */
public record UsageQuery(Instant from, Instant to, List<Dimension> groupBy, Map<Dimension, String> where) {

  public UsageQuery {
    Check.nonNull(from, "usageQuery.from");
    Check.nonNull(to, "usageQuery.to");
    Check.that(to.isAfter(from), "usageQuery.to must be after from, was " + from + " to " + to);
    groupBy = Check.copyOf(groupBy, "usageQuery.groupBy");
    Check.that(groupBy.stream().distinct().count() == groupBy.size(),
        "usageQuery.groupBy names a dimension twice: " + groupBy);
    where = Check.copyOf(where, "usageQuery.where");
  }

  /** A builder for records in {@code [from, to)}. */
  public static Builder builder(Instant from, Instant to) {
    return new Builder(from, to);
  }

  /** Whether {@code record} falls in this query's range and matches its filters. */
  public boolean matches(UsageRecord record) {
    if (record.time().isBefore(from) || !record.time().isBefore(to)) {
      return false;
    }
    for (Map.Entry<Dimension, String> filter : where.entrySet()) {
      if (!filter.getValue().equals(record.valueOf(filter.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sums the matching {@code records} per group. Rows are ordered by their group values (absent values
   * first); with no {@code groupBy} there is one row, or none when nothing matched.
   */
  public List<UsageTotals> aggregate(Iterable<UsageRecord> records) {
    Map<List<@Nullable String>, Sum> sums = new HashMap<>();
    for (UsageRecord record : records) {
      if (!matches(record)) {
        continue;
      }
      List<@Nullable String> key = new ArrayList<>(groupBy.size());
      for (Dimension dimension : groupBy) {
        key.add(record.valueOf(dimension));
      }
      sums.computeIfAbsent(key, k -> new Sum()).add(record);
    }
    List<Map.Entry<List<@Nullable String>, Sum>> entries = new ArrayList<>(sums.entrySet());
    entries.sort(Map.Entry.comparingByKey(UsageQuery::compareKeys));
    List<UsageTotals> rows = new ArrayList<>(entries.size());
    for (Map.Entry<List<@Nullable String>, Sum> entry : entries) {
      Map<Dimension, String> group = new LinkedHashMap<>();
      for (int i = 0; i < groupBy.size(); i++) {
        String value = entry.getKey().get(i);
        if (value != null) {
          group.put(groupBy.get(i), value);
        }
      }
      rows.add(entry.getValue().totals(group));
    }
    return List.copyOf(rows);
  }

  private static int compareKeys(List<@Nullable String> a, List<@Nullable String> b) {
    Comparator<@Nullable String> values = Comparator.nullsFirst(Comparator.naturalOrder());
    for (int i = 0; i < a.size(); i++) {
      int c = values.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** A running sum; not thread-safe. */
  private static final class Sum {
    long calls;
    long input;
    long output;
    long cached;
    long cacheWrite;
    long reasoning;
    long estimated;
    long unpriced;
    Duration latency = Duration.ZERO;
    long cacheHits;
    final Map<String, BigDecimal> cost = new LinkedHashMap<>();
    final Map<String, BigDecimal> saved = new LinkedHashMap<>();

    void add(UsageRecord record) {
      calls++;
      latency = latency.plus(record.latency());
      CacheInfo hit = record.cache();
      if (hit != null) {
        cacheHits++;
        if (hit.savedCost() != null && hit.currency() != null) {
          saved.merge(hit.currency(), hit.savedCost(), BigDecimal::add);
        }
      }
      input += record.usage().inputTokens();
      output += record.usage().outputTokens();
      cached += record.usage().cachedInputTokens();
      cacheWrite += record.usage().cacheWriteInputTokens();
      reasoning += record.usage().reasoningTokens();
      if (record.estimated()) {
        estimated++;
      }
      Cost c = record.cost();
      if (c == null) {
        unpriced++;
      } else {
        cost.merge(c.currency(), c.total(), BigDecimal::add);
      }
    }

    UsageTotals totals(Map<Dimension, String> group) {
      return new UsageTotals(group, calls, input, output, cached, cacheWrite, reasoning, estimated,
          unpriced, cost, latency, cacheHits, saved);
    }
  }

  /** Builds a {@link UsageQuery}. Not thread-safe. */
  public static final class Builder {
    private final Instant from;
    private final Instant to;
    private final List<Dimension> groupBy = new ArrayList<>();
    private final Map<Dimension, String> where = new LinkedHashMap<>();

    private Builder(Instant from, Instant to) {
      this.from = from;
      this.to = to;
    }

    /** Adds grouping dimensions, in order. Defaults to none: one total. */
    public Builder groupBy(Dimension... dimensions) {
      Arrays.stream(dimensions).map(d -> Objects.requireNonNull(d, "dimension")).forEach(groupBy::add);
      return this;
    }

    /** Keeps only records whose value for {@code dimension} is {@code value}. Defaults to no filter. */
    public Builder where(Dimension dimension, String value) {
      where.put(Check.nonNull(dimension, "dimension"), Check.nonNull(value, "value"));
      return this;
    }

    public UsageQuery build() {
      return new UsageQuery(from, to, groupBy, where);
    }
  }
}

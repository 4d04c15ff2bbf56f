package dev.llmgateway.redaction;

import dev.llmgateway.gateway.internal.Check;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link RedactionInterceptor} found in a call: how many values of each type, never the values.
 * Put in the call's {@link dev.llmgateway.CallContext} under {@link RedactionInterceptor#REPORT} for
 * audit logs and metrics.
 *
 * @param found the number of values found per type name, whatever their mode (ALLOW included), sorted
 *     by name; empty when nothing was found
 */
public record RedactionReport(Map<String, Integer> found) {

  /** Nothing found. */
  public static final RedactionReport NONE = new RedactionReport(Map.of());

  public RedactionReport {
    Check.nonNull(found, "found");
    found = java.util.Collections.unmodifiableMap(new TreeMap<>(found));
  }

  /** The total number of values found. */
  public int total() {
    return found.values().stream().mapToInt(Integer::intValue).sum();
  }
}

package dev.llmgateway.redaction.internal;

import dev.llmgateway.redaction.PiiType;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What one redaction pass found: counts per type, and the types whose mode refuses the call. */
public final class Tally {
  private final Map<String, Integer> found = new TreeMap<>();
  private final Set<String> refused = new TreeSet<>();

  void found(PiiType type) {
    found.merge(type.name(), 1, Integer::sum);
  }

  void refused(PiiType type) {
    refused.add(type.name());
  }

  /** Values found per type name, sorted by name. */
  public Map<String, Integer> found() {
    return Map.copyOf(found);
  }

  /** Names of the types found whose mode is REFUSE, sorted. */
  public Set<String> refused() {
    return new TreeSet<>(refused);
  }

  public boolean anyRefused() {
    return !refused.isEmpty();
  }
}

package dev.llmgateway.redaction.internal;

import dev.llmgateway.redaction.PiiMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks non-overlapping matches out of every detector's: longest first, then earliest start, then the
 * detector listed first; each candidate is kept unless it overlaps one kept before.
 */
public final class Overlaps {
  private Overlaps() {}

  private record Ranked(PiiMatch match, int detector) {}

  private static final Comparator<Ranked> ORDER = Comparator
      .comparingInt((Ranked r) -> -r.match().length())
      .thenComparingInt(r -> r.match().start())
      .thenComparingInt(Ranked::detector);

  /** The kept matches, by start. {@code perDetector.get(i)} holds detector {@code i}'s matches. */
  public static List<PiiMatch> resolve(List<List<PiiMatch>> perDetector) {
    List<Ranked> all = new ArrayList<>();
    for (int i = 0; i < perDetector.size(); i++) {
      for (PiiMatch m : perDetector.get(i)) {
        all.add(new Ranked(m, i));
      }
    }
    if (all.size() == 1) {
      return List.of(all.get(0).match());
    }
    all.sort(ORDER);
    TreeMap<Integer, PiiMatch> kept = new TreeMap<>();
    for (Ranked r : all) {
      PiiMatch m = r.match();
      Map.Entry<Integer, PiiMatch> before = kept.floorEntry(m.end() - 1);
      if (before == null || before.getValue().end() <= m.start()) {
        kept.put(m.start(), m);
      }
    }
    return List.copyOf(kept.values());
  }
}

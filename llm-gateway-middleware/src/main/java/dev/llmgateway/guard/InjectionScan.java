package dev.llmgateway.guard;

import dev.llmgateway.gateway.internal.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an {@link InjectionScanner} found in one text: its score and the matches that make it up.
 *
 * @param score the sum of the weights of the distinct rules that matched
 * @param matches one per distinct rule, heaviest first
 */
public record InjectionScan(double score, List<Match> matches) {

  /** Nothing matched. */
  public static final InjectionScan NONE = new InjectionScan(0, List.of());

  /**
   * One rule that matched.
   *
   * @param ruleId the rule's id, or {@value InjectionScanner#ENCODED_PAYLOAD_RULE} for the fact that a
   *     decoded blob held an attack
   * @param category the rule's category
   * @param weight what the match added to the score (the rule's weight, discounted when quoted)
   * @param source where it matched: {@code text}, {@code base64} or {@code hex}
   */
  public record Match(String ruleId, InjectionCategory category, double weight, String source) {
    public Match {
      Check.nonBlank(ruleId, "match.ruleId");
      Check.nonNull(category, "match.category");
      Check.nonBlank(source, "match.source");
    }
  }

  public InjectionScan {
    Check.that(Double.isFinite(score) && score >= 0, "score must be finite and >= 0, was " + score);
    matches = new ArrayList<>(Check.copyOf(matches, "matches"));
    matches.sort(Comparator.comparingDouble(Match::weight).reversed());
    matches = List.copyOf(matches);
  }

  /** The ids of the matched rules, heaviest first. */
  public List<String> ruleIds() {
    return matches.stream().map(Match::ruleId).toList();
  }

  /** The categories of the matched rules, heaviest first, each once. */
  public List<String> categories() {
    LinkedHashSet<String> c = new LinkedHashSet<>();
    matches.forEach(m -> c.add(m.category().name()));
    return List.copyOf(c);
  }
}

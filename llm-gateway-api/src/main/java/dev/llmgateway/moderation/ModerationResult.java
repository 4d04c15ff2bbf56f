package dev.llmgateway.moderation;

import dev.llmgateway.internal.Require;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Moderator} decided about one text. Never holds the text itself, so it can be logged and
 * audited as it is.
 *
 * @param verdict whether the text passes, is reported only, or must be stopped
 * @param categories the categories that were flagged, most severe or most likely first (e.g.
 *     {@code violence}, {@code self-harm/intent}); empty when the verdict is {@link Verdict#ALLOW}
 * @param scores the moderator's score per category, in [0, 1]; empty when it has none (a word list)
 * @param matchedRule the rule that decided, e.g. {@code violence/threat} of a local policy or
 *     {@code openai/omni-moderation-latest}; null when nothing matched
 */
public record ModerationResult(Verdict verdict, List<String> categories, Map<String, Double> scores,
    @Nullable String matchedRule) {

  /** A text that passes, with no scores. */
  public static final ModerationResult ALLOWED =
      new ModerationResult(Verdict.ALLOW, List.of(), Map.of(), null);

  /** How a moderated text is treated, from mildest to strictest. */
  public enum Verdict {
    /** Nothing to report. */
    ALLOW,
    /** Reported (to listeners and the audit log) but let through. */
    FLAG,
    /** Stopped: a refused request, or an answer cut off. */
    BLOCK
  }

  public ModerationResult {
    Require.nonNull(verdict, "moderationResult.verdict");
    categories = Require.copyOf(categories, "moderationResult.categories");
    scores = Require.copyOf(scores, "moderationResult.scores");
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      double s = e.getValue();
      Require.check(s >= 0 && s <= 1, "moderationResult.scores[" + e.getKey()
          + "] must be in [0, 1], was " + s);
    }
    Require.check(verdict != Verdict.ALLOW || categories.isEmpty(),
        "moderationResult.categories must be empty when the verdict is ALLOW");
  }

  /** A passing result that still reports the moderator's scores. */
  public static ModerationResult allowed(Map<String, Double> scores) {
    return new ModerationResult(Verdict.ALLOW, List.of(), scores, null);
  }

  /** A blocking result for {@code category}, decided by {@code rule}. */
  public static ModerationResult blocked(String category, String rule) {
    return new ModerationResult(Verdict.BLOCK, List.of(category), Map.of(), rule);
  }

  /** A report-only result for {@code category}, decided by {@code rule}. */
  public static ModerationResult flagged(String category, String rule) {
    return new ModerationResult(Verdict.FLAG, List.of(category), Map.of(), rule);
  }

  /** Whether the text was flagged at all ({@link Verdict#FLAG} or {@link Verdict#BLOCK}). */
  public boolean flagged() {
    return verdict != Verdict.ALLOW;
  }

  /** Whether the text must be stopped. */
  public boolean blocks() {
    return verdict == Verdict.BLOCK;
  }

  /**
   * The two results as one: the stricter verdict and its rule (this one's on a tie), the categories of
   * both (the stricter result's first), and the higher score per category.
   */
  public ModerationResult and(ModerationResult other) {
    Require.nonNull(other, "other");
    ModerationResult first = other.verdict.compareTo(verdict) > 0 ? other : this;
    ModerationResult second = first == this ? other : this;
    LinkedHashSet<String> merged = new LinkedHashSet<>(first.categories);
    if (second.flagged()) {
      merged.addAll(second.categories);
    }
    Map<String, Double> maxScores = new LinkedHashMap<>(first.scores);
    second.scores.forEach((k, v) -> maxScores.merge(k, v, Math::max));
    return new ModerationResult(first.verdict,
        first.verdict == Verdict.ALLOW ? List.of() : new ArrayList<>(merged), maxScores,
        first.matchedRule != null ? first.matchedRule : second.matchedRule);
  }
}

package dev.llmgateway.guard;

import dev.llmgateway.gateway.internal.Check;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one guard decided about one call, at one stage: the verdict, the score against its threshold, and
 * the rules and categories that matched. Never holds the text it looked at, so it can go to logs and the
 * audit log as it is. Recorded by every guard in the call's {@link GuardDecisionLog} and handed to its
 * {@link GuardListener}.
 *
 * @param guard the guard's name: {@value PromptInjectionGuard#NAME}, {@code moderation},
 *     {@code output-validation}, or a host guard's own
 * @param stage what was looked at
 * @param verdict what the guard did
 * @param score the guard's score, at least 0 (the injection score; the highest moderation category score;
 *     the number of validation errors)
 * @param threshold the score at which the guard refuses; null when it has none
 * @param matchedRules the rules that matched, most weighty first; empty when none did
 * @param categories the categories of what matched (e.g. {@code INSTRUCTION_OVERRIDE}, {@code violence})
 * @param location where in the call it was found, e.g. {@code messages[3]} or {@code output[512..768]};
 *     null when the whole text was looked at
 * @param at when the decision was made
 */
public record GuardDecision(String guard, Stage stage, Verdict verdict, double score,
    @Nullable Double threshold, List<String> matchedRules, List<String> categories,
    @Nullable String location, Instant at) {

  /** The part of a call a guard looks at. */
  public enum Stage {
    /** The request's messages (user text), before the call. */
    INPUT,
    /** Tool results in the request, before the call: text the model will read but no user wrote. */
    TOOL_RESULT,
    /** The answer, blocking or streamed. */
    OUTPUT
  }

  /** What a guard did. */
  public enum Verdict {
    /** Let through; nothing to report. */
    ALLOW,
    /** Let through, but reported: a report-only rule, a monitoring guard, a repaired answer. */
    FLAG,
    /** Stopped: the request was refused or the answer cut off. */
    BLOCK
  }

  public GuardDecision {
    Check.nonBlank(guard, "guardDecision.guard");
    Check.nonNull(stage, "guardDecision.stage");
    Check.nonNull(verdict, "guardDecision.verdict");
    Check.that(Double.isFinite(score) && score >= 0,
        "guardDecision.score must be a finite number >= 0, was " + score);
    Check.that(threshold == null || (Double.isFinite(threshold) && threshold >= 0),
        "guardDecision.threshold must be a finite number >= 0 or null, was " + threshold);
    matchedRules = Check.copyOf(matchedRules, "guardDecision.matchedRules");
    categories = Check.copyOf(categories, "guardDecision.categories");
    Check.nonNull(at, "guardDecision.at");
  }

  /** Whether the guard stopped the call. */
  public boolean blocked() {
    return verdict == Verdict.BLOCK;
  }

  /** A one-line description without any text of the call, for exception messages and logs. */
  public String describe() {
    StringBuilder sb = new StringBuilder(guard).append(' ')
        .append(stage.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
        .append(verdict.name().toLowerCase(java.util.Locale.ROOT));
    if (threshold != null) {
      sb.append(String.format(java.util.Locale.ROOT, ": score %.2f, threshold %.2f", score, threshold));
    }
    if (!categories.isEmpty()) {
      sb.append(", categories ").append(categories);
    }
    if (!matchedRules.isEmpty()) {
      sb.append(", rules ").append(matchedRules);
    }
    if (location != null) {
      sb.append(", at ").append(location);
    }
    return sb.toString();
  }
}

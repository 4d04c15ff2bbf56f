package dev.llmgateway.moderation.policy;

import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.moderation.ModerationResult;
import dev.llmgateway.moderation.Moderator;
import dev.llmgateway.guard.internal.TextNormalizer;
import dev.llmgateway.moderation.policy.ModerationRule.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A {@link Moderator} of the host's own policy: per category, word lists and patterns, each with an
 * action ({@link Action#BLOCK}, or {@link Action#FLAG} to report only). No network, no model: fast enough
 * to run on every window of a stream. It knows only what it is given; it has no built-in lists.
 *
 * <pre>{@code
 * LocalPolicyModerator policy = LocalPolicyModerator.builder()
 *     .block("violence", "threats", List.of("i will kill you", "you are dead meat"))
 *     .flag("profanity", "mild", List.of("damn", "hell"))
 *     .blockPattern("fraud", "card-dumps", "\\bfull(?:z| card) dumps?\\b")
 *     .build();
 * }</pre>
 *
 * <p>The result: {@link ModerationResult.Verdict#BLOCK} if a blocking rule matched, else
 * {@link ModerationResult.Verdict#FLAG} if a flagging one did; the categories of every rule that matched
 * (blocking ones first), a score of 1.0 per matched category, and the id of the first rule that decided
 * (in the order the rules were added). Matching runs on the folded text (see {@link ModerationRule}).
 * Thread-safe.
 */
public final class LocalPolicyModerator implements Moderator {
  private final List<ModerationRule> rules;

  private LocalPolicyModerator(List<ModerationRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<ModerationRule> rules() {
    return rules;
  }

  @Override
  public ModerationResult moderate(String text) {
    String folded = TextNormalizer.normalize(text);
    ModerationRule firstBlock = null;
    ModerationRule firstFlag = null;
    LinkedHashSet<String> blocked = new LinkedHashSet<>();
    LinkedHashSet<String> flagged = new LinkedHashSet<>();
    for (ModerationRule rule : rules) {
      if (!rule.pattern().matcher(folded).find()) {
        continue;
      }
      if (rule.action() == Action.BLOCK) {
        blocked.add(rule.category());
        if (firstBlock == null) {
          firstBlock = rule;
        }
      } else {
        flagged.add(rule.category());
        if (firstFlag == null) {
          firstFlag = rule;
        }
      }
    }
    if (firstBlock == null && firstFlag == null) {
      return ModerationResult.ALLOWED;
    }
    List<String> categories = new ArrayList<>(blocked);
    flagged.stream().filter(c -> !blocked.contains(c)).forEach(categories::add);
    Map<String, Double> scores = new LinkedHashMap<>();
    categories.forEach(c -> scores.put(c, 1.0));
    return new ModerationResult(
        firstBlock != null ? ModerationResult.Verdict.BLOCK : ModerationResult.Verdict.FLAG,
        categories, scores, (firstBlock != null ? firstBlock : firstFlag).id());
  }

  @Override
  public String toString() {
    return "LocalPolicyModerator[" + rules.size() + " rules]";
  }

  /** Builds a {@link LocalPolicyModerator}. Not thread-safe. */
  public static final class Builder {
    private final List<ModerationRule> rules = new ArrayList<>();

    private Builder() {}

    /** Adds a rule. */
    public Builder rule(ModerationRule rule) {
      Check.nonNull(rule, "rule");
      Check.that(rules.stream().noneMatch(r -> r.id().equals(rule.id())),
          "moderation rule ids must be distinct: '" + rule.id() + "' is used twice");
      rules.add(rule);
      return this;
    }

    /** Blocks texts containing any of {@code words} as whole words; the rule is {@code <category>/<name>}. */
    public Builder block(String category, String name, List<String> words) {
      return rule(ModerationRule.words(name, category, Action.BLOCK, words));
    }

    /** Reports texts containing any of {@code words} as whole words. */
    public Builder flag(String category, String name, List<String> words) {
      return rule(ModerationRule.words(name, category, Action.FLAG, words));
    }

    /** Blocks texts matching {@code regex} (lower case, run on the folded text). */
    public Builder blockPattern(String category, String name, String regex) {
      return rule(ModerationRule.pattern(name, category, Action.BLOCK, regex));
    }

    /** Reports texts matching {@code regex} (lower case, run on the folded text). */
    public Builder flagPattern(String category, String name, String regex) {
      return rule(ModerationRule.pattern(name, category, Action.FLAG, regex));
    }

    /** Builds the moderator; it needs at least one rule. */
    public LocalPolicyModerator build() {
      Check.that(!rules.isEmpty(), "a local moderation policy needs at least one rule");
      return new LocalPolicyModerator(rules);
    }
  }
}

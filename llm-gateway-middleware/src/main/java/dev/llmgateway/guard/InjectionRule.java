package dev.llmgateway.guard;

import dev.llmgateway.gateway.internal.Check;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One heuristic of the {@link PromptInjectionGuard}: a pattern, what kind of attack it indicates and how
 * much a match counts. The guard adds up the weights of the distinct rules that match and refuses at its
 * threshold, so a strong rule (weight 1.0 against the default threshold 1.0) refuses on its own and weak
 * ones only together.
 *
 * <pre>{@code
 * InjectionRule mine = InjectionRule.of("custom.acme-override", InjectionCategory.CUSTOM, 1.0,
 *     "\\bacme (admin|root) override\\b");
 * }</pre>
 *
 * @param id names the rule in decisions, exceptions and the audit log, e.g. {@code override.ignore-previous}
 * @param category the kind of attack
 * @param weight what a match adds to the score, in (0, 10]
 * @param pattern what to find
 * @param target whether {@code pattern} runs on the normalized text or on the raw text
 */
public record InjectionRule(String id, InjectionCategory category, double weight, Pattern pattern,
    Target target) {

  /** What a rule's pattern is matched against. */
  public enum Target {
    /**
     * The text folded by the guard: invisible characters removed, NFKC, look-alike letters mapped to
     * Latin, accents stripped, lower case, spaces collapsed (see {@code docs/safety.md}). Write these
     * patterns in lower case. Also run on the text of encoded payloads.
     */
    NORMALIZED,
    /** The text as sent, for rules about the disguise itself (zero-width characters, mixed scripts). */
    RAW
  }

  public InjectionRule {
    Check.nonBlank(id, "injectionRule.id");
    Check.nonNull(category, "injectionRule '" + id + "' category");
    Check.that(Double.isFinite(weight) && weight > 0 && weight <= 10,
        "injectionRule '" + id + "' weight must be in (0, 10], was " + weight);
    Check.nonNull(pattern, "injectionRule '" + id + "' pattern");
    Check.nonNull(target, "injectionRule '" + id + "' target");
  }

  /** A rule matching {@code regex} against the normalized text. */
  public static InjectionRule of(String id, InjectionCategory category, double weight, String regex) {
    return new InjectionRule(id, category, weight, compile(id, regex), Target.NORMALIZED);
  }

  /** A rule matching {@code regex} against the raw text. */
  public static InjectionRule raw(String id, InjectionCategory category, double weight, String regex) {
    return new InjectionRule(id, category, weight, compile(id, regex), Target.RAW);
  }

  /** This rule with another weight, e.g. to make a built-in rule count more or less. */
  public InjectionRule withWeight(double newWeight) {
    return new InjectionRule(id, category, newWeight, pattern, target);
  }

  private static Pattern compile(String id, String regex) {
    Check.nonNull(regex, "injectionRule '" + id + "' regex");
    try {
      return Pattern.compile(regex, Pattern.MULTILINE);
    } catch (PatternSyntaxException e) {
      throw new dev.llmgateway.error.LlmConfigurationException("injectionRule '" + id
          + "' has an invalid pattern: " + e.getDescription());
    }
  }
}

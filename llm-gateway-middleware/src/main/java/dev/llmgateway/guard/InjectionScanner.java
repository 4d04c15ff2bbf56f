package dev.llmgateway.guard;

import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.guard.internal.EncodedPayloads;
import dev.llmgateway.guard.internal.TextNormalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores one text against a list of {@link InjectionRule}s: the heuristic half of the
 * {@link PromptInjectionGuard}, usable on its own (to scan a retrieved document before it goes into a
 * prompt, or to measure a corpus).
 *
 * <p>How a text is scored:
 * <ol>
 *   <li>{@link InjectionRule.Target#RAW} rules run on the text as it is (they look for the disguises
 *       themselves: zero-width characters inside words, mixed scripts, tag characters).</li>
 *   <li>The text is folded (invisible characters removed, NFKC, look-alike Cyrillic and Greek letters
 *       mapped to Latin, accents stripped, lower case) and the {@link InjectionRule.Target#NORMALIZED}
 *       rules run on it.</li>
 *   <li>Base64 and hex blobs that decode to readable text are folded and scanned the same way; each rule
 *       that matches there counts, and the fact that an encoded blob held an attack adds
 *       {@link #ENCODED_PAYLOAD_RULE} with the encoded-payload weight.</li>
 *   <li>A match that sits inside quotes (double quotes or backticks, or single quotes right around
 *       it), in a text that talks about attacks
 *       ("prompt injection", "jailbreak", "example", "detect"...), counts at the quoted discount
 *       (half, by default): a security discussion quoting one attack phrase stays below the threshold,
 *       while an attack wrapped in quotes still trips two rules.</li>
 *   <li>The score is the sum over distinct rules of each rule's largest weight; when two rules of the
 *       same category match nested spans of the folded text (one phrase, two rules), only the heavier
 *       one counts.</li>
 * </ol>
 *
 * <p>Thread-safe and stateless.
 */
public final class InjectionScanner {
  /** The id under which an attack found inside an encoded blob is reported. */
  public static final String ENCODED_PAYLOAD_RULE = "encoded.payload";
  /** What finding an attack inside a base64 or hex blob adds by default: {@value}. */
  public static final double DEFAULT_ENCODED_PAYLOAD_WEIGHT = 0.5;
  /** The factor a quoted match in a text about attacks is weighed with by default: {@value}. */
  public static final double DEFAULT_QUOTED_DISCOUNT = 0.5;

  private static final Pattern META_TALK = Pattern.compile("\\b(?:prompt injections?|injections?"
      + "|jailbreak\\w*|attack\\w*|examples?|phrases?|detect\\w*|filter\\w*|classif\\w*|security"
      + "|red[- ]team\\w*|benchmarks?|datasets?|papers?|research\\w*|defen[cs]e\\w*|mitigat\\w*"
      + "|guard\\w*|owasp|adversarial|payloads?)\\b");

  private final List<InjectionRule> rules;
  private final double encodedPayloadWeight;
  private final double quotedDiscount;

  /** A scanner with {@link InjectionRules#DEFAULTS} and the default weights. */
  public InjectionScanner() {
    this(InjectionRules.DEFAULTS, DEFAULT_ENCODED_PAYLOAD_WEIGHT, DEFAULT_QUOTED_DISCOUNT);
  }

  /**
   * @param rules the rules; ids must be distinct
   * @param encodedPayloadWeight what an attack inside a decoded blob adds, in [0, 10]
   * @param quotedDiscount the factor for quoted matches in texts about attacks, in [0, 1] (1 turns the
   *     discount off)
   */
  public InjectionScanner(List<InjectionRule> rules, double encodedPayloadWeight,
      double quotedDiscount) {
    this.rules = Check.copyOf(rules, "rules");
    Check.that(this.rules.stream().map(InjectionRule::id).distinct().count() == this.rules.size(),
        "rules must have distinct ids");
    this.encodedPayloadWeight = Check.within(encodedPayloadWeight, 0, 10, "encodedPayloadWeight");
    this.quotedDiscount = Check.within(quotedDiscount, 0, 1, "quotedDiscount");
  }

  public List<InjectionRule> rules() {
    return rules;
  }

  public double encodedPayloadWeight() {
    return encodedPayloadWeight;
  }

  public double quotedDiscount() {
    return quotedDiscount;
  }

  /** Scores {@code text}. */
  public InjectionScan scan(String text) {
    String folded = TextNormalizer.normalize(text);
    boolean metaTalk = quotedDiscount < 1 && META_TALK.matcher(folded).find();
    List<Hit> spans = new ArrayList<>();
    for (InjectionRule rule : rules) {
      if (rule.target() != InjectionRule.Target.NORMALIZED) {
        continue;
      }
      Matcher m = rule.pattern().matcher(folded);
      Hit best = null;
      while (m.find()) {
        double weight = metaTalk && quoted(folded, m.start(), m.end())
            ? rule.weight() * quotedDiscount
            : rule.weight();
        if (best == null || weight > best.match().weight()) {
          best = new Hit(new InjectionScan.Match(rule.id(), rule.category(), weight, "text"),
              m.start(), m.end());
        }
        if (weight == rule.weight()) {
          break;
        }
      }
      if (best != null) {
        spans.add(best);
      }
    }
    // One phrase matched by two rules of the same category (one span inside the other) counts once.
    spans.sort(Comparator.comparingDouble((Hit h) -> h.match().weight()).reversed());
    Map<String, InjectionScan.Match> counted = new LinkedHashMap<>();
    List<Hit> accepted = new ArrayList<>();
    for (Hit h : spans) {
      boolean nestedInAccepted = false;
      for (Hit a : accepted) {
        nestedInAccepted |= a.match().category() == h.match().category() && nested(a, h);
      }
      if (!nestedInAccepted) {
        accepted.add(h);
        keep(counted, h.match());
      }
    }
    for (InjectionRule rule : rules) {
      if (rule.target() == InjectionRule.Target.RAW && rule.pattern().matcher(text).find()) {
        keep(counted, new InjectionScan.Match(rule.id(), rule.category(), rule.weight(), "text"));
      }
    }
    for (EncodedPayloads.Payload payload : EncodedPayloads.find(text)) {
      String decoded = TextNormalizer.normalize(payload.text());
      boolean hit = false;
      for (InjectionRule rule : rules) {
        if (rule.target() == InjectionRule.Target.NORMALIZED
            && rule.pattern().matcher(decoded).find()) {
          keep(counted, new InjectionScan.Match(rule.id(), rule.category(), rule.weight(),
              payload.encoding()));
          hit = true;
        }
      }
      if (hit && encodedPayloadWeight > 0) {
        keep(counted, new InjectionScan.Match(ENCODED_PAYLOAD_RULE, InjectionCategory.ENCODED_PAYLOAD,
            encodedPayloadWeight, payload.encoding()));
      }
    }
    if (counted.isEmpty()) {
      return InjectionScan.NONE;
    }
    double score = 0;
    for (InjectionScan.Match match : counted.values()) {
      score += match.weight();
    }
    return new InjectionScan(score, List.copyOf(counted.values()));
  }

  private record Hit(InjectionScan.Match match, int start, int end) {
    boolean empty() {
      return end <= start;
    }

    boolean contains(Hit other) {
      return other.start >= start && other.end <= end;
    }
  }

  /** Whether one non-empty span lies inside the other (zero-width lookahead matches never nest). */
  private static boolean nested(Hit a, Hit b) {
    return !a.empty() && !b.empty() && (a.contains(b) || b.contains(a));
  }

  private static void keep(Map<String, InjectionScan.Match> best, InjectionScan.Match match) {
    best.merge(match.ruleId(), match, (a, b) -> b.weight() > a.weight() ? b : a);
  }

  /**
   * Whether {@code [start, end)} of {@code text} is quoted: between single quotes right at its ends, or
   * between a pair of double quotes or backticks on its line (an odd number of the same quote character
   * before it, and one after it).
   */
  private static boolean quoted(String text, int start, int end) {
    int lineStart = text.lastIndexOf('\n', start - 1) + 1;
    int lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) {
      lineEnd = text.length();
    }
    if (start > 0 && end < text.length() && text.charAt(start - 1) == '\''
        && text.charAt(end) == '\'') {
      return true;
    }
    for (char q : new char[] {'"', '`'}) {
      int before = 0;
      for (int i = lineStart; i < start; i++) {
        if (text.charAt(i) == q) {
          before++;
        }
      }
      int close = text.indexOf(q, end);
      if (before % 2 == 1 && close >= 0 && close < lineEnd) {
        return true;
      }
    }
    return false;
  }
}

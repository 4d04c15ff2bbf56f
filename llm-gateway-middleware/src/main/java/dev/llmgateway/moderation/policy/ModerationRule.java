package dev.llmgateway.moderation.policy;

import dev.llmgateway.gateway.internal.Check;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * One rule of a {@link LocalPolicyModerator}: a pattern, the category it belongs to and what a match does.
 * Patterns run on the folded text (invisible characters removed, NFKC, look-alike letters mapped to Latin,
 * accents stripped, lower case, spaces collapsed), so they are written in lower case and a disguised word
 * still matches.
 *
 * @param id names the rule in results, decisions and exceptions, e.g. {@code violence/words[2]}; never
 *     holds text of a call
 * @param category the category a match flags, e.g. {@code violence}
 * @param action what a match does
 * @param pattern what to find in the folded text
 */
public record ModerationRule(String id, String category, Action action, Pattern pattern) {

  /** What a match does. */
  public enum Action {
    /** Report only: the text passes, the decision is recorded as flagged. */
    FLAG,
    /** Stop the text: refuse the request, or cut the answer off. */
    BLOCK
  }

  public ModerationRule {
    Check.nonBlank(id, "moderationRule.id");
    Check.nonBlank(category, "moderationRule '" + id + "' category");
    Check.nonNull(action, "moderationRule '" + id + "' action");
    Check.nonNull(pattern, "moderationRule '" + id + "' pattern");
  }

  /**
   * A rule matching any of {@code words} (or phrases) as whole words, ignoring case, accents and
   * disguises. Its id is {@code <category>/<name>}.
   */
  public static ModerationRule words(String name, String category, Action action, List<String> words) {
    List<String> list = Check.copyOf(words, "moderationRule '" + name + "' words");
    Check.that(!list.isEmpty(), "moderationRule '" + name + "' needs at least one word");
    String alternation = list.stream()
        .map(w -> Check.nonBlank(w, "moderationRule '" + name + "' word").strip()
            .toLowerCase(Locale.ROOT))
        .map(w -> Pattern.quote(w).replace(" ", "\\E\\s+\\Q"))
        .collect(Collectors.joining("|"));
    return new ModerationRule(category + "/" + Check.nonBlank(name, "moderationRule name"), category,
        action, Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternation + ")(?![\\p{L}\\p{N}])"));
  }

  /**
   * A rule matching {@code regex} (written in lower case) in the folded text. Its id is
   * {@code <category>/<name>}.
   */
  public static ModerationRule pattern(String name, String category, Action action, String regex) {
    String id = category + "/" + Check.nonBlank(name, "moderationRule name");
    Check.nonNull(regex, "moderationRule '" + id + "' regex");
    try {
      return new ModerationRule(id, category, action, Pattern.compile(regex, Pattern.MULTILINE));
    } catch (PatternSyntaxException e) {
      throw new dev.llmgateway.error.LlmConfigurationException("moderationRule '" + id
          + "' has an invalid pattern: " + e.getDescription());
    }
  }
}

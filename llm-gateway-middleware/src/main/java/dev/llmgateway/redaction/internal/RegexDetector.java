package dev.llmgateway.redaction.internal;

import dev.llmgateway.redaction.PiiDetector;
import dev.llmgateway.redaction.PiiMatch;
import dev.llmgateway.redaction.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A detector built on a regular expression that finds candidates, and a {@link Refiner} that checks each
 * one (a checksum, a length table) and may move its end. Matching restarts right after an accepted
 * match, or one character after a rejected candidate's start, so a rejected candidate never hides a
 * real value that starts inside it.
 *
 * <p>The built-in detectors use {@link #atWordStarts}: the pattern is tried only where a value can start
 * (a given first character, not preceded by a letter, digit or underscore), which is a few dozen places
 * in a kilobyte of prose instead of a thousand.
 */
public final class RegexDetector implements PiiDetector {

  /** A quick test of whether a value may start at {@code text[i]}, before the pattern is tried there. */
  @FunctionalInterface
  public interface StartTest {
    boolean test(String text, int i);
  }

  /** Checks a candidate {@code text[start, end)} and returns the accepted end, or -1 to reject it. */
  @FunctionalInterface
  public interface Refiner {
    int refine(String text, int start, int end);
  }

  private final PiiType type;
  private final Pattern pattern;
  private final Refiner refiner;
  private final String[] anyOfLiterals;
  private final @Nullable StartTest startTest;
  /** Which ASCII characters a value may start with; a plain table, tested before {@link #startTest}. */
  private final boolean[] firstChars = new boolean[128];

  private RegexDetector(PiiType type, Pattern pattern, Refiner refiner, String[] anyOfLiterals,
      String firstChars, @Nullable StartTest startTest) {
    this.type = type;
    this.pattern = pattern;
    this.refiner = refiner;
    this.anyOfLiterals = anyOfLiterals.clone();
    this.startTest = startTest;
    for (int i = 0; i < firstChars.length(); i++) {
      this.firstChars[firstChars.charAt(i)] = true;
    }
  }

  /** A detector that searches the whole text for {@code pattern}. */
  public static RegexDetector of(PiiType type, Pattern pattern, Refiner refiner) {
    return new RegexDetector(type, pattern, refiner, new String[0], "", null);
  }

  /**
   * A detector that tries {@code pattern} only at positions holding one of the ASCII
   * {@code firstChars}, whose previous character is not a letter, digit or underscore, and that pass
   * {@code startTest}; and only when the text contains one of {@code anyOfLiterals} (none: always). The
   * pattern may look behind and ahead of the position.
   */
  public static RegexDetector atWordStarts(PiiType type, Pattern pattern, Refiner refiner,
      String firstChars, StartTest startTest, String... anyOfLiterals) {
    return new RegexDetector(type, pattern, refiner, anyOfLiterals, firstChars, startTest);
  }

  @Override
  public List<PiiMatch> detect(String text) {
    if (!passesPrefilter(text)) {
      return List.of();
    }
    return startTest == null ? search(text) : tryWordStarts(text, startTest);
  }

  private List<PiiMatch> search(String text) {
    List<PiiMatch> found = new ArrayList<>(2);
    Matcher m = pattern.matcher(text);
    int from = 0;
    while (from < text.length() && m.find(from)) {
      int start = m.start();
      int end = m.end();
      int accepted = end > start ? refiner.refine(text, start, end) : -1;
      if (accepted > start) {
        found.add(PiiMatch.of(type, text, start, accepted));
        from = accepted;
      } else {
        from = start + 1;
      }
    }
    return found;
  }

  private List<PiiMatch> tryWordStarts(String text, StartTest start) {
    List<PiiMatch> found = null;
    Matcher m = null;
    int n = text.length();
    int i = 0;
    boolean[] first = firstChars;
    while (i < n) {
      char c = text.charAt(i);
      if (c >= 128 || !first[c] || (i > 0 && isWordChar(text.charAt(i - 1))) || !start.test(text, i)) {
        i++;
        continue;
      }
      if (m == null) {
        m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      }
      m.region(i, n);
      int accepted = -1;
      if (m.lookingAt() && m.end() > i) {
        accepted = refiner.refine(text, i, m.end());
      }
      if (accepted > i) {
        if (found == null) {
          found = new ArrayList<>(2);
        }
        found.add(PiiMatch.of(type, text, i, accepted));
        i = accepted;
      } else {
        i++;
      }
    }
    return found == null ? List.of() : found;
  }

  static boolean isWordChar(char c) {
    if (c < 128) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    return Character.isLetterOrDigit(c);
  }

  private boolean passesPrefilter(String text) {
    if (anyOfLiterals.length == 0) {
      return true;
    }
    for (String literal : anyOfLiterals) {
      if (text.contains(literal)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "RegexDetector[" + type.name() + "]";
  }
}

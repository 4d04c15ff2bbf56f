package dev.llmgateway.redaction.internal;

import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.redaction.PiiDetector;
import dev.llmgateway.redaction.PiiMatch;
import dev.llmgateway.redaction.PiiType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whole-word, case-insensitive lookup of words and phrases. The text is split into words (runs of
 * letters, digits and underscores); at each word the longest phrase of the dictionary that starts there
 * wins. Words of a phrase may be separated by one or two spaces, hyphens, apostrophes or dots.
 */
public final class DictionaryDetector implements PiiDetector {
  private static final int MAX_GAP = 2;

  private final PiiType type;
  private final Set<String> phrases = new HashSet<>();
  private final int maxWords;

  public DictionaryDetector(PiiType type, Collection<String> entries) {
    this.type = type;
    int most = 0;
    for (String entry : entries) {
      Check.nonNull(entry, "dictionary entry");
      List<int[]> words = words(entry);
      if (words.isEmpty()) {
        continue;
      }
      StringBuilder key = new StringBuilder();
      for (int[] w : words) {
        if (key.length() > 0) {
          key.append(' ');
        }
        key.append(entry, w[0], w[1]);
      }
      phrases.add(key.toString().toLowerCase(Locale.ROOT));
      most = Math.max(most, words.size());
    }
    Check.that(!phrases.isEmpty(), "a dictionary detector needs at least one word");
    this.maxWords = most;
  }

  @Override
  public List<PiiMatch> detect(String text) {
    List<int[]> words = words(text);
    List<PiiMatch> found = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    int i = 0;
    while (i < words.size()) {
      int matched = 0;
      for (int n = Math.min(maxWords, words.size() - i); n >= 1 && matched == 0; n--) {
        if (!joinable(text, words, i, n)) {
          continue;
        }
        key.setLength(0);
        for (int k = i; k < i + n; k++) {
          if (k > i) {
            key.append(' ');
          }
          key.append(text, words.get(k)[0], words.get(k)[1]);
        }
        if (phrases.contains(key.toString().toLowerCase(Locale.ROOT))) {
          found.add(PiiMatch.of(type, text, words.get(i)[0], words.get(i + n - 1)[1]));
          matched = n;
        }
      }
      i += Math.max(matched, 1);
    }
    return found;
  }

  /** Whether words {@code i .. i+n-1} are separated only by short gaps of phrase separators. */
  private static boolean joinable(String text, List<int[]> words, int i, int n) {
    for (int k = i + 1; k < i + n; k++) {
      int gapStart = words.get(k - 1)[1];
      int gapEnd = words.get(k)[0];
      if (gapEnd - gapStart > MAX_GAP) {
        return false;
      }
      for (int p = gapStart; p < gapEnd; p++) {
        char c = text.charAt(p);
        if (c != ' ' && c != '-' && c != '\'' && c != '.' && c != '\u2019') {
          return false;
        }
      }
    }
    return true;
  }

  private static List<int[]> words(String text) {
    List<int[]> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && !isWordChar(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      int start = i;
      while (i < n && isWordChar(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      if (i > start) {
        out.add(new int[] {start, i});
      }
    }
    return out;
  }

  private static boolean isWordChar(int cp) {
    return Character.isLetterOrDigit(cp) || cp == '_' || Character.getType(cp) == Character.NON_SPACING_MARK;
  }

  @Override
  public String toString() {
    return "DictionaryDetector[" + type.name() + ", " + phrases.size() + " entries]";
  }
}

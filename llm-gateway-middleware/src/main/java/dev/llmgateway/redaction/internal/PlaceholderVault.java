package dev.llmgateway.redaction.internal;

import dev.llmgateway.redaction.PiiType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The placeholders of one call and the values they stand for. Lives in the call's
 * {@link dev.llmgateway.CallContext} only, so it dies with the call; {@link #toString()} shows how many
 * placeholders there are, never a value. Thread-safe.
 *
 * <p>Placeholders are {@code <TYPE_n>}, numbered per type from 1 in order of first appearance; the same
 * value of the same type always gets the same placeholder. A placeholder-shaped text that is already in
 * the request (a user writing about {@code <EMAIL_1>} templates) is reserved, so it is never handed out and
 * never "restored".
 */
public final class PlaceholderVault {
  private static final Pattern PLACEHOLDER_SHAPE = Pattern.compile("<[A-Z][A-Z0-9_]{0,31}_[0-9]+>");

  private final Map<String, String> placeholderByKey = new HashMap<>();
  private final Map<String, String> valueByPlaceholder = new HashMap<>();
  private final Map<PiiType, Integer> lastNumber = new HashMap<>();
  private final Set<String> reserved = new HashSet<>();
  private int longest;

  /** Reserves every placeholder-shaped text in {@code text}. */
  public synchronized void reserveLiteralsIn(String text) {
    if (text.indexOf('<') < 0) {
      return;
    }
    Matcher m = PLACEHOLDER_SHAPE.matcher(text);
    while (m.find()) {
      reserved.add(m.group());
    }
  }

  /** The placeholder for {@code value} of {@code type}, handing out the next number the first time. */
  public synchronized String placeholderFor(PiiType type, String value) {
    String key = type.name() + '\u0000' + value;
    String existing = placeholderByKey.get(key);
    if (existing != null) {
      return existing;
    }
    int n = lastNumber.getOrDefault(type, 0);
    String placeholder;
    do {
      n++;
      placeholder = "<" + type.name() + "_" + n + ">";
    } while (reserved.contains(placeholder));
    lastNumber.put(type, n);
    placeholderByKey.put(key, placeholder);
    valueByPlaceholder.put(placeholder, value);
    longest = Math.max(longest, placeholder.length());
    return placeholder;
  }

  /** The value {@code placeholder} stands for, or null when it is not one of this call's. */
  public synchronized @Nullable String valueOf(String placeholder) {
    return valueByPlaceholder.get(placeholder);
  }

  public synchronized boolean isEmpty() {
    return valueByPlaceholder.isEmpty();
  }

  /** The length of the longest placeholder handed out; 0 when none was. */
  public synchronized int longestPlaceholder() {
    return longest;
  }

  /** Whether {@code s[from, to)} is a proper prefix of a placeholder of this call. */
  public synchronized boolean isProperPrefix(CharSequence s, int from, int to) {
    int length = to - from;
    for (String p : valueByPlaceholder.keySet()) {
      if (p.length() > length && startsWith(p, s, from, length)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(String p, CharSequence s, int from, int length) {
    for (int i = 0; i < length; i++) {
      if (p.charAt(i) != s.charAt(from + i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized String toString() {
    return "PlaceholderVault[" + valueByPlaceholder.size() + " placeholders]";
  }
}

package dev.llmgateway.redaction.internal;

/**
 * Puts values back where the answer says a placeholder of the call, as text arrives in pieces. Text is
 * passed on at once except a trailing piece that could still become a placeholder: at most the longest
 * placeholder's length minus one characters, and only while they are a prefix of one of the call's
 * placeholders. Text that merely looks like a placeholder but is not one of the call's
 * ({@code <EMAIL_9>}, {@code a < b}) flows through unchanged.
 *
 * <p>One restorer per channel of a stream (answer text, refusal, each tool call's arguments); not
 * thread-safe.
 */
public final class PlaceholderRestorer {
  private final PlaceholderVault vault;
  private final boolean jsonEscape;
  private final StringBuilder pending = new StringBuilder();

  /**
   * @param jsonEscape whether values are written JSON-escaped, for tool-call arguments
   */
  public PlaceholderRestorer(PlaceholderVault vault, boolean jsonEscape) {
    this.vault = vault;
    this.jsonEscape = jsonEscape;
  }

  /** {@code text} with every placeholder of the call replaced by its value. */
  public static String restoreAll(String text, PlaceholderVault vault, boolean jsonEscape) {
    if (text.indexOf('<') < 0) {
      return text;
    }
    PlaceholderRestorer restorer = new PlaceholderRestorer(vault, jsonEscape);
    String head = restorer.feed(text);
    return head + restorer.flush();
  }

  /**
   * The text that can be passed on after {@code delta} arrived; may be empty while a placeholder is
   * pending.
   */
  public String feed(String delta) {
    if (pending.length() == 0 && delta.indexOf('<') < 0) {
      return delta;
    }
    String s = pending.length() == 0 ? delta : pending + delta;
    pending.setLength(0);
    int longest = vault.longestPlaceholder();
    int n = s.length();
    StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      int open = s.indexOf('<', i);
      if (open < 0) {
        out.append(s, i, n);
        break;
      }
      out.append(s, i, open);
      int close = -1;
      for (int k = open + 1; k < Math.min(n, open + longest); k++) {
        char c = s.charAt(k);
        if (c == '>') {
          close = k;
          break;
        }
        if (c == '<') {
          break;
        }
      }
      if (close > 0) {
        String value = vault.valueOf(s.substring(open, close + 1));
        if (value != null) {
          out.append(jsonEscape ? JsonText.escape(value) : value);
          i = close + 1;
          continue;
        }
      } else if (n - open < longest && vault.isProperPrefix(s, open, n)) {
        pending.append(s, open, n);
        break;
      }
      out.append('<');
      i = open + 1;
    }
    return out.toString();
  }

  /** The held-back text, as it came (an unfinished placeholder is not one); clears it. */
  public String flush() {
    String rest = pending.toString();
    pending.setLength(0);
    return rest;
  }

  /** How many characters are held back right now. */
  public int pendingLength() {
    return pending.length();
  }
}

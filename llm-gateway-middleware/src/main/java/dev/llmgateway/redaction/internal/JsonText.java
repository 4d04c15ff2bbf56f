package dev.llmgateway.redaction.internal;

import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON to redact tool arguments and results without a JSON library: string literals are
 * decoded, rewritten and re-encoded (only when they changed, so untouched text keeps its escapes), and
 * the stretches between literals (numbers, punctuation) are rewritten as they are.
 */
public final class JsonText {
  private JsonText() {}

  /** Whether {@code text} starts like a JSON object or array. */
  public static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  /**
   * {@code json} with every string literal's decoded content replaced by {@code inString} and every
   * stretch outside literals by {@code outside}; null when a literal is unterminated or badly escaped.
   */
  public static @Nullable String rewrite(String json, UnaryOperator<String> inString,
      UnaryOperator<String> outside) {
    StringBuilder out = null;
    int n = json.length();
    int segmentStart = 0;
    int i = 0;
    while (i <= n) {
      int quote = json.indexOf('"', i);
      int segmentEnd = quote < 0 ? n : quote;
      String segment = json.substring(segmentStart, segmentEnd);
      String rewritten = outside.apply(segment);
      if (out != null || !rewritten.equals(segment)) {
        out = ensure(out, json, segmentStart);
        out.append(rewritten);
      }
      if (quote < 0) {
        break;
      }
      int close = closingQuote(json, quote + 1);
      if (close < 0) {
        return null;
      }
      String raw = json.substring(quote + 1, close);
      String decoded = unescape(raw);
      if (decoded == null) {
        return null;
      }
      String changed = inString.apply(decoded);
      if (out != null || !changed.equals(decoded)) {
        out = ensure(out, json, quote);
        out.append('"').append(changed.equals(decoded) ? raw : escape(changed)).append('"');
      }
      i = close + 1;
      segmentStart = i;
      if (i == n) {
        break;
      }
    }
    return out == null ? json : out.toString();
  }

  private static StringBuilder ensure(@Nullable StringBuilder out, String json, int upTo) {
    if (out != null) {
      return out;
    }
    StringBuilder b = new StringBuilder(json.length() + 32);
    b.append(json, 0, upTo);
    return b;
  }

  private static int closingQuote(String json, int from) {
    for (int i = from; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /** The decoded content of a string literal (without its quotes), or null when an escape is malformed. */
  public static @Nullable String unescape(String raw) {
    if (raw.indexOf('\\') < 0) {
      return raw;
    }
    StringBuilder b = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i >= raw.length()) {
        return null;
      }
      char e = raw.charAt(i);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (i + 4 >= raw.length()) {
            return null;
          }
          int code = 0;
          for (int k = 1; k <= 4; k++) {
            int d = Character.digit(raw.charAt(i + k), 16);
            if (d < 0) {
              return null;
            }
            code = code * 16 + d;
          }
          b.append((char) code);
          i += 4;
        }
        default -> {
          return null;
        }
      }
    }
    return b.toString();
  }

  /** {@code s} escaped for the inside of a JSON string literal. */
  public static String escape(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String replacement = switch (c) {
        case '"' -> "\\\"";
        case '\\' -> "\\\\";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        case '\b' -> "\\b";
        case '\f' -> "\\f";
        default -> c < 0x20 ? String.format("\\u%04x", (int) c) : null;
      };
      if (replacement != null) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16);
          b.append(s, 0, i);
        }
        b.append(replacement);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}

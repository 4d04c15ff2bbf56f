package dev.llmgateway.cache.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The canonical form of JSON text and of Java values that stand for JSON (provider options): object keys
 * sorted, no insignificant whitespace, numbers as their shortest exact decimal ({@code 1}, {@code 1.0} and
 * {@code 1e0} are one number). Two texts with the same canonical form denote the same JSON value.
 *
 * <p>The middleware has no JSON library, so this is a small strict parser; text that is not valid JSON
 * is kept verbatim (marked as such), which only makes keys stricter, never looser.
 */
public final class CanonicalJson {
  private final String text;
  private int pos;

  private CanonicalJson(String text) {
    this.text = text;
  }

  /** The canonical form of {@code json}, or {@code raw:} and the text itself when it is not valid JSON. */
  public static String ofText(String json) {
    CanonicalJson parser = new CanonicalJson(json);
    try {
      parser.skipWhitespace();
      Object value = parser.value();
      parser.skipWhitespace();
      if (parser.pos != json.length()) {
        return "raw:" + json;
      }
      StringBuilder out = new StringBuilder(json.length());
      write(value, out);
      return out.toString();
    } catch (RuntimeException e) {
      return "raw:" + json;
    }
  }

  /**
   * The canonical form of a Java value standing for JSON: maps (keys sorted), lists and arrays (order
   * kept), strings, numbers, booleans and null. Any other object is written as its class and
   * {@code toString()}.
   */
  public static String ofValue(@Nullable Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(@Nullable Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      TreeMap<String, @Nullable Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, @Nullable Object> e : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Iterable<?> list) {
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(item, out);
      }
      out.append(']');
    } else if (value instanceof Object[] array) {
      write(List.of(array), out);
    } else if (value instanceof CharSequence s) {
      string(s.toString(), out);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof BigDecimal d) {
      out.append(number(d));
    } else if (value instanceof Number n) {
      double asDouble = n.doubleValue();
      if ((n instanceof Double || n instanceof Float) && !Double.isFinite(asDouble)) {
        out.append('"').append(n).append('"');
      } else {
        out.append(number(new BigDecimal(n.toString())));
      }
    } else {
      string(value.getClass().getName() + ":" + value, out);
    }
  }

  private static String number(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  // --- a strict recursive-descent parser into Map/List/String/BigDecimal/Boolean/null ---

  private @Nullable Object value() {
    char c = peek();
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return parseString();
      case 't':
        expect("true");
        return Boolean.TRUE;
      case 'f':
        expect("false");
        return Boolean.FALSE;
      case 'n':
        expect("null");
        return null;
      default:
        return parseNumber();
    }
  }

  private Map<String, @Nullable Object> object() {
    pos++;
    TreeMap<String, @Nullable Object> map = new TreeMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      String key = parseString();
      skipWhitespace();
      expect(":");
      skipWhitespace();
      map.put(key, value());
      skipWhitespace();
      char c = text.charAt(pos++);
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or }");
      }
    }
  }

  private List<@Nullable Object> array() {
    pos++;
    List<@Nullable Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value());
      skipWhitespace();
      char c = text.charAt(pos++);
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or ]");
      }
    }
  }

  private String parseString() {
    if (text.charAt(pos) != '"') {
      throw new IllegalArgumentException("expected a string");
    }
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char e = text.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> throw new IllegalArgumentException("bad escape");
        }
      } else if (c < 0x20) {
        throw new IllegalArgumentException("control character in string");
      } else {
        sb.append(c);
      }
    }
  }

  private BigDecimal parseNumber() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("unexpected character");
    }
    return new BigDecimal(text.substring(start, pos));
  }

  private void expect(String word) {
    if (!text.startsWith(word, pos)) {
      throw new IllegalArgumentException("expected " + word);
    }
    pos += word.length();
  }

  private char peek() {
    return text.charAt(pos);
  }

  private void skipWhitespace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}

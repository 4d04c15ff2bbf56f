package dev.llmgateway.tokens.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON for token counting, so that the middleware needs no JSON library: {@link #compact}
 * removes insignificant whitespace (the form providers send and count), and {@link #parse} reads a value
 * into maps (key order kept), lists, strings, {@link Number}s (their text), booleans and null.
 */
public final class Json {
  /** A JSON number, kept as written. */
  public record Number(String text) {}

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * {@code json} without whitespace outside strings; any text that is not JSON is returned with the
   * same rule applied, which is harmless for counting.
   */
  public static String compact(String json) {
    StringBuilder out = new StringBuilder(json.length());
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < json.length()) {
          out.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The value {@code json} holds, or null when it is not valid JSON. */
  public static @Nullable Object parse(String json) {
    Json parser = new Json(json);
    try {
      Object value = parser.value();
      parser.skipWhitespace();
      return parser.pos == json.length() ? value : null;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  /** {@code value} as a map when it is a JSON object, else an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> object(@Nullable Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, @Nullable Object>) m : Map.of();
  }

  /** {@code value} as a list when it is a JSON array, else an empty list. */
  @SuppressWarnings("unchecked")
  public static List<@Nullable Object> array(@Nullable Object value) {
    return value instanceof List<?> l ? (List<@Nullable Object>) l : List.of();
  }

  /** {@code value} as a string when it is a JSON string, else null. */
  public static @Nullable String string(@Nullable Object value) {
    return value instanceof String s ? s : null;
  }

  private @Nullable Object value() {
    skipWhitespace();
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return objectValue();
      case '[':
        return arrayValue();
      case '"':
        return stringValue();
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
        return numberValue();
    }
  }

  private Map<String, @Nullable Object> objectValue() {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    pos++;
    skipWhitespace();
    if (text.charAt(pos) == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (text.charAt(pos) != '"') {
        throw new IllegalArgumentException("key expected at " + pos);
      }
      String key = stringValue();
      skipWhitespace();
      if (text.charAt(pos++) != ':') {
        throw new IllegalArgumentException("':' expected at " + (pos - 1));
      }
      map.put(key, value());
      skipWhitespace();
      char c = text.charAt(pos++);
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        throw new IllegalArgumentException("',' or '}' expected at " + (pos - 1));
      }
    }
  }

  private List<@Nullable Object> arrayValue() {
    List<@Nullable Object> list = new ArrayList<>();
    pos++;
    skipWhitespace();
    if (text.charAt(pos) == ']') {
      pos++;
      return list;
    }
    while (true) {
      list.add(value());
      skipWhitespace();
      char c = text.charAt(pos++);
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        throw new IllegalArgumentException("',' or ']' expected at " + (pos - 1));
      }
    }
  }

  private String stringValue() {
    StringBuilder sb = new StringBuilder();
    pos++; // opening quote
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> sb.append(e); // \" \\ \/
      }
    }
  }

  private Number numberValue() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("value expected at " + pos);
    }
    return new Number(text.substring(start, pos));
  }

  private void expect(String literal) {
    if (!text.startsWith(literal, pos)) {
      throw new IllegalArgumentException(literal + " expected at " + pos);
    }
    pos += literal.length();
  }

  private void skipWhitespace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}

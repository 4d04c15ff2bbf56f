package dev.llmgateway.prompt.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The canonical content of a prompt version and its SHA-256. The canonical form is compact JSON with a
 * fixed field order: {@code {"model":..., "parameters":{...non-null ones, fixed order...},
 * "messages":[{"role":"system","template":"..."}...], "partials":{"name":"source"...sorted}}}. YAML
 * formatting, comments, owner and description do not change it; the text sent, the parameters, the
 * model and any included partial do.
 */
public final class ContentHash {
  private ContentHash() {}

  /** One message of the canonical form. */
  public record Part(String role, String template) {}

  /** The canonical JSON. Parameters are given in their fixed order, null ones left out. */
  public static String canonical(String model, Map<String, @Nullable Object> parameters,
      List<Part> messages, Map<String, String> partials) {
    StringBuilder sb = new StringBuilder("{\"model\":");
    string(sb, model);
    sb.append(",\"parameters\":{");
    boolean first = true;
    for (Map.Entry<String, @Nullable Object> e : parameters.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      value(sb, e.getValue());
    }
    sb.append("},\"messages\":[");
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"role\":");
      string(sb, messages.get(i).role());
      sb.append(",\"template\":");
      string(sb, messages.get(i).template());
      sb.append('}');
    }
    sb.append("],\"partials\":{");
    first = true;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(partials).entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      string(sb, e.getValue());
    }
    return sb.append("}}").toString();
  }

  /** Hex SHA-256 of the UTF-8 bytes of {@code canonical}. */
  public static String sha256(String canonical) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void value(StringBuilder sb, Object value) {
    if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        value(sb, list.get(i));
      }
      sb.append(']');
    } else if (value instanceof String s) {
      string(sb, s);
    } else {
      sb.append(value);
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}

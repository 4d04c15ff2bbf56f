package dev.llmgateway.audit.internal;

import dev.llmgateway.Usage;
import dev.llmgateway.audit.AuditEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Writes an {@link AuditEvent} as a one-line JSON object, null and empty fields left out. */
public final class AuditJson {
  private AuditJson() {}

  public static String line(AuditEvent e) {
    StringBuilder sb = new StringBuilder(256).append('{');
    field(sb, "kind", e.kind().name());
    field(sb, "ts", e.timestamp().toString());
    field(sb, "callId", e.callId());
    if (e.streaming()) {
      raw(sb, "stream", "true");
    }
    field(sb, "tenant", e.tenant());
    field(sb, "user", e.user());
    field(sb, "app", e.application());
    field(sb, "model", e.model());
    field(sb, "provider", e.provider());
    field(sb, "answeredModel", e.answeredModel());
    field(sb, "deployment", e.deployment());
    field(sb, "promptHash", e.promptHash());
    field(sb, "decision", e.decision().name());
    field(sb, "guard", e.guard());
    field(sb, "stage", e.stage());
    list(sb, "rules", e.matchedRules());
    list(sb, "categories", e.categories());
    if (e.score() != null) {
      raw(sb, "score", Double.toString(e.score()));
    }
    Usage u = e.usage();
    if (u != null) {
      raw(sb, "inputTokens", Long.toString(u.inputTokens()));
      raw(sb, "outputTokens", Long.toString(u.outputTokens()));
      if (u.cachedInputTokens() > 0) {
        raw(sb, "cachedInputTokens", Long.toString(u.cachedInputTokens()));
      }
      if (u.reasoningTokens() > 0) {
        raw(sb, "reasoningTokens", Long.toString(u.reasoningTokens()));
      }
      if (u.estimated()) {
        raw(sb, "usageEstimated", "true");
      }
    }
    if (e.cost() != null) {
      field(sb, "cost", e.cost().amount().toPlainString());
      field(sb, "currency", e.cost().currency());
    }
    if (e.duration() != null) {
      raw(sb, "ms", Long.toString(e.duration().toMillis()));
    }
    field(sb, "error", e.error());
    return sb.append('}').toString();
  }

  private static void field(StringBuilder sb, String name, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      name(sb, name);
      string(sb, value);
    }
  }

  private static void raw(StringBuilder sb, String name, String value) {
    name(sb, name);
    sb.append(value);
  }

  private static void list(StringBuilder sb, String name, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    name(sb, name);
    sb.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      string(sb, values.get(i));
    }
    sb.append(']');
  }

  private static void name(StringBuilder sb, String name) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    sb.append('"').append(name).append("\":");
  }

  /** A JSON string literal; control characters, quotes and backslashes escaped. */
  static void string(StringBuilder sb, String s) {
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
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
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

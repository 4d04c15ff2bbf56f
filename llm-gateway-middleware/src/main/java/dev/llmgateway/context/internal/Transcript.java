package dev.llmgateway.context.internal;

import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import java.util.List;

/**
 * The plain-text rendering of conversation turns that a summary model reads: one paragraph per message,
 * headed by its role; tool calls and results spelled out, images and thinking blocks named but not
 * copied (a summary model cannot use signatures or base64 data).
 */
public final class Transcript {
  private Transcript() {}

  public static String of(List<Message> messages) {
    StringBuilder sb = new StringBuilder();
    for (Message message : messages) {
      if (sb.length() > 0) {
        sb.append("\n\n");
      }
      sb.append(label(message)).append(':');
      for (ContentPart part : message.content()) {
        sb.append('\n');
        if (part instanceof ContentPart.Text t) {
          sb.append(t.text());
        } else if (part instanceof ContentPart.ToolCall c) {
          sb.append("[called tool ").append(c.name()).append(" with ").append(c.arguments()).append(']');
        } else if (part instanceof ContentPart.ToolResult r) {
          sb.append(r.isError() ? "[tool " : "[result of tool ")
              .append(r.toolName() == null ? "call " + r.toolCallId() : r.toolName())
              .append(r.isError() ? " failed: " : ": ").append(r.content()).append(']');
        } else if (part instanceof ContentPart.Image) {
          sb.append("[an image]");
        } else if (part instanceof ContentPart.Thinking) {
          sb.append("[reasoning omitted]");
        }
      }
    }
    return sb.toString();
  }

  private static String label(Message message) {
    String role = switch (message.role()) {
      case SYSTEM -> "System";
      case USER -> "User";
      case ASSISTANT -> "Assistant";
      case TOOL -> "Tool";
    };
    return message.name() == null ? role : role + " (" + message.name() + ")";
  }
}

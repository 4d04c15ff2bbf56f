package dev.llmgateway.guard.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.guard.GuardDecision.Stage;
import dev.llmgateway.guard.InputScope;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of a request an input guard looks at, per {@link InputScope}: the text parts of each user
 * message (one segment per message, {@link Stage#INPUT}) and each tool result, wherever it sits (one
 * segment per result, {@link Stage#TOOL_RESULT}; text parts of a tool message count as tool output too).
 * System and assistant messages are skipped.
 */
public final class InputSegments {
  private InputSegments() {}

  /** One piece of text to check, and where it came from. */
  public record Segment(int messageIndex, Stage stage, String text) {
    public String location() {
      return "messages[" + messageIndex + "]";
    }
  }

  public static List<Segment> of(ChatRequest request, InputScope scope) {
    List<Message> messages = request.messages();
    int from = 0;
    if (scope == InputScope.LATEST_TURN) {
      for (int i = messages.size() - 1; i >= 0; i--) {
        if (messages.get(i).role() == Role.ASSISTANT) {
          from = i + 1;
          break;
        }
      }
    }
    List<Segment> segments = new ArrayList<>();
    for (int i = from; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.role() == Role.SYSTEM || m.role() == Role.ASSISTANT) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.ToolResult r) {
          segments.add(new Segment(i, Stage.TOOL_RESULT, r.content()));
        } else if (part instanceof ContentPart.Text t) {
          if (text.length() > 0) {
            text.append('\n');
          }
          text.append(t.text());
        }
      }
      if (text.length() > 0) {
        segments.add(new Segment(i, m.role() == Role.TOOL ? Stage.TOOL_RESULT : Stage.INPUT,
            text.toString()));
      }
    }
    return segments;
  }
}

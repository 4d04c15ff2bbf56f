package dev.llmgateway;

import dev.llmgateway.internal.Require;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One turn of a conversation: a {@link Role} and ordered {@link ContentPart}s.
 *
 * @param role who wrote it
 * @param content the parts, in order; never empty
 * @param name an optional participant name (OpenAI's {@code name}); null for none
 */
public record Message(Role role, List<ContentPart> content, @Nullable String name) {

  public Message {
    Require.nonNull(role, "message.role");
    content = Require.copyOf(content, "message.content");
    Require.check(!content.isEmpty(), "message.content must not be empty");
  }

  public Message(Role role, List<ContentPart> content) {
    this(role, content, null);
  }

  public static Message system(String text) {
    return new Message(Role.SYSTEM, List.of(new ContentPart.Text(text)));
  }

  public static Message user(String text) {
    return new Message(Role.USER, List.of(new ContentPart.Text(text)));
  }

  public static Message user(ContentPart... parts) {
    return new Message(Role.USER, List.of(parts));
  }

  public static Message assistant(String text) {
    return new Message(Role.ASSISTANT, List.of(new ContentPart.Text(text)));
  }

  /** An assistant turn that asked for tool calls. */
  public static Message assistant(List<ContentPart> parts) {
    return new Message(Role.ASSISTANT, parts);
  }

  /** The result of the tool call {@code toolCallId}. */
  public static Message toolResult(String toolCallId, String toolName, String content) {
    return new Message(Role.TOOL,
        List.of(new ContentPart.ToolResult(toolCallId, toolName, content, false)));
  }

  /** The text parts joined, or the empty string when there are none. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  /** The tool calls among the parts, in order. */
  public List<ContentPart.ToolCall> toolCalls() {
    List<ContentPart.ToolCall> calls = new ArrayList<>();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.ToolCall c) {
        calls.add(c);
      }
    }
    return List.copyOf(calls);
  }
}

package dev.llmgateway.routing.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolDefinition;

/** The body of {@code TokenEstimator.CHARS_OVER_FOUR}: read characters divided by four, rounded up. */
public final class RoughTokenCount {
  private RoughTokenCount() {}

  public static long estimate(ChatRequest request) {
    long chars = 0;
    for (Message message : request.messages()) {
      for (ContentPart part : message.content()) {
        chars += characters(part);
      }
    }
    for (ToolDefinition tool : request.tools()) {
      chars += tool.name().length() + tool.parametersSchema().length();
      if (tool.description() != null) {
        chars += tool.description().length();
      }
    }
    return (chars + 3) / 4;
  }

  private static long characters(ContentPart part) {
    if (part instanceof ContentPart.Text t) {
      return t.text().length();
    }
    if (part instanceof ContentPart.ToolCall c) {
      return c.name().length() + c.arguments().length();
    }
    if (part instanceof ContentPart.ToolResult r) {
      return r.content().length();
    }
    if (part instanceof ContentPart.Thinking t) {
      return t.text().length();
    }
    return 0; // images: not counted
  }
}

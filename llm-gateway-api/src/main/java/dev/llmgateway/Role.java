package dev.llmgateway;

/** Who authored a {@link Message}. Providers without a system role receive system text their own way. */
public enum Role {
  /** Instructions from the application; sent first. */
  SYSTEM,
  /** The end user's turn. */
  USER,
  /** The model's turn, including any tool calls it made. */
  ASSISTANT,
  /** The result of a tool call, answering an assistant's {@link ContentPart.ToolCall}. */
  TOOL
}

package dev.llmgateway.guard;

/**
 * Which messages of a request an input guard looks at. System messages are never looked at: they are the
 * host's own text. Assistant messages are not either: they are the model's, and were checked as output.
 */
public enum InputScope {
  /**
   * The messages after the last assistant message (the whole conversation when there is none): the new
   * user turn and the tool results it brings. The earlier turns were looked at when they were new, and
   * looking again would let one false positive block a conversation for good.
   */
  LATEST_TURN,
  /** Every user message and tool result of the conversation, on every call. */
  ALL_MESSAGES
}

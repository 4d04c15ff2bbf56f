package dev.llmgateway;

/**
 * Why the model stopped, in terms common to every provider. The provider's own value is kept beside it
 * ({@link ChatResponse#rawFinishReason()}); an unknown value maps to {@link #OTHER}, never to an error,
 * because providers keep adding new ones.
 */
public enum FinishReason {
  /** A natural end or a stop sequence. */
  STOP,
  /** The output-token limit or the context window was reached. */
  LENGTH,
  /** The model asked for tool calls. */
  TOOL_CALLS,
  /** A safety system cut or refused the answer. */
  CONTENT_FILTER,
  /** The provider reports a generation error (e.g. a malformed tool call). */
  ERROR,
  /** Anything else, including values this version does not know. */
  OTHER
}

package dev.llmgateway.context;

/**
 * What the {@link ContextWindowInterceptor} does with a conversation that does not fit the model's
 * context window. Whatever the policy, system messages are always kept, and so are the last
 * {@link ContextWindowInterceptor#keepLastTurns()} turns (but see {@link #SUMMARIZE} for the assistant
 * turns that open them); a turn is one message, except that an assistant message with tool calls and the
 * tool results answering it form a single turn, so a call is never sent without its results nor a result
 * without its call.
 */
public enum ContextWindowPolicy {
  /**
   * Fail the call with a {@link dev.llmgateway.error.ContextLengthExceededException} before anything is
   * sent. The conversation is never changed.
   */
  REFUSE,
  /**
   * Drop the oldest turns, as few as needed, until the conversation fits; refuse when even the system
   * messages and the last turns alone do not fit.
   */
  DROP_OLDEST,
  /**
   * Replace every turn older than the last ones by one system message holding a summary that a model
   * writes; refuse when the summary call fails or the result still does not fit. With
   * {@link ContextWindowInterceptor#startOnUserTurn()}, the assistant turns that open the last turns are
   * summarized too, so that the kept conversation opens with a user turn.
   */
  SUMMARIZE
}

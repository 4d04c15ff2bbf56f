package dev.llmgateway.cost;

/** How a call ended, as the accounting interceptors record it. */
public enum CallOutcome {
  /** The call returned an answer; for a stream, its last chunk was pulled. */
  SUCCEEDED,
  /** The call failed, or its stream failed part way. */
  FAILED,
  /** The caller cancelled the call or closed its stream before the end. */
  CANCELLED
}

package dev.llmgateway.redis;

/**
 * What a Redis store does while the server cannot be reached (connection refused or lost, a command
 * timing out, the server loading or busy).
 */
public enum RedisFailureMode {
  /**
   * Refuse: the operation throws {@link dev.llmgateway.error.StateStoreUnavailableException} (retryable),
   * so no call is sent uncounted. The safe choice for hard budgets; the default.
   */
  FAIL_CLOSED,

  /**
   * Keep serving: a warning is logged once per outage and the operation runs on the store's local
   * in-memory fallback until Redis answers again. Each instance then counts only its own calls, from
   * zero, and what it counted is not written back to Redis: during an outage a budget or limit may be
   * exceeded up to once per instance.
   */
  FAIL_OPEN
}

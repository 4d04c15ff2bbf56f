package dev.llmgateway.context;

/**
 * What the {@link ContextWindowInterceptor} does with a request whose model has no known context window
 * (not in the model catalog, and no window given to the builder). The window is the whole basis of the
 * check, so without it the interceptor can only let the call through or refuse it.
 */
public enum UnknownModelPolicy {
  /**
   * Send the request unchanged (logged once per model name at debug level on the interceptor's logger):
   * the provider still refuses an oversized request itself. Right for gateways that also reach local or
   * fine-tuned models the catalog does not list.
   */
  PASS_THROUGH,
  /**
   * Fail the call with an {@link dev.llmgateway.error.LlmConfigurationException} naming the model, for
   * gateways that must never send a conversation whose size was not checked.
   */
  REFUSE
}

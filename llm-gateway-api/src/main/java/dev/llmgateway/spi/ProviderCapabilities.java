package dev.llmgateway.spi;

/**
 * What a provider's wire protocol supports; the gateway refuses a request asking for more before any
 * call is made.
 *
 * @param tools function calling
 * @param vision image inputs
 * @param jsonSchema structured output constrained by a JSON schema
 * @param streamingUsage token usage reported at the end of a stream
 */
public record ProviderCapabilities(boolean tools, boolean vision, boolean jsonSchema,
    boolean streamingUsage) {

  /** Everything supported. */
  public static final ProviderCapabilities ALL = new ProviderCapabilities(true, true, true, true);
}

package dev.llmgateway.spi;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;

/**
 * An adapter for one model API: it maps a {@link ChatRequest} onto the provider's wire format, makes the
 * HTTP call, and maps the answer, stream events and errors back. The request's {@code model} is already
 * the provider's own model name (the gateway strips {@code provider/} and resolves aliases).
 *
 * <p>Providers never retry on their own: retries belong to the pipeline, which knows the caller's
 * deadline. They must register {@link CallContext#onCancel} so that cancelling a call aborts its HTTP
 * request, and map every failure to a {@link dev.llmgateway.error.LlmException} subtype. Implementations
 * are thread-safe.
 */
public interface ChatProvider extends AutoCloseable {

  /** The name used in model strings, e.g. {@code openai} in {@code openai/gpt-4o}. */
  String name();

  /** Makes a blocking call. */
  ChatResponse chat(ChatRequest request, CallContext context);

  /**
   * Opens a stream. Returns once the provider accepted the request (HTTP headers received); errors the
   * provider reports before that are thrown from here, later ones from {@link ChatStream#next()}.
   */
  ChatStream stream(ChatRequest request, CallContext context);

  /** What this provider's wire can express. */
  default ProviderCapabilities capabilities() {
    return ProviderCapabilities.ALL;
  }

  /** Releases resources this provider created itself (not shared ones). Defaults to nothing. */
  @Override
  default void close() {}
}

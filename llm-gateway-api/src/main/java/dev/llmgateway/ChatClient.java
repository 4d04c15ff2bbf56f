package dev.llmgateway;

import java.util.concurrent.CompletableFuture;

/**
 * The one interface an application talks to: blocking, async and streaming chat over any provider, with
 * the gateway's interceptors applied. Implementations are thread-safe; build one per application and
 * share it.
 *
 * <p>Every method throws {@link dev.llmgateway.error.LlmException} subtypes (or completes its future with
 * one) for failures a caller can act on.
 */
public interface ChatClient extends AutoCloseable {

  /** Sends the request and waits for the whole answer. */
  ChatResponse chat(ChatRequest request, CallOptions options);

  /** Sends the request with {@link CallOptions#DEFAULT}. */
  default ChatResponse chat(ChatRequest request) {
    return chat(request, CallOptions.DEFAULT);
  }

  /**
   * Sends the request without blocking the caller. Cancelling the future cancels the HTTP call and
   * releases its connection.
   */
  CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallOptions options);

  default CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chatAsync(request, CallOptions.DEFAULT);
  }

  /**
   * Opens a stream. The request goes out when this is called; chunks are pulled from the returned
   * stream as they arrive. Close it to cancel.
   */
  ChatStream stream(ChatRequest request, CallOptions options);

  default ChatStream stream(ChatRequest request) {
    return stream(request, CallOptions.DEFAULT);
  }

  /**
   * Streams to callbacks on a background thread, built on {@link #stream(ChatRequest, CallOptions)}. The
   * future completes with the assembled response; cancelling it closes the stream.
   */
  CompletableFuture<ChatResponse> stream(ChatRequest request, CallOptions options,
      StreamHandler handler);

  default CompletableFuture<ChatResponse> stream(ChatRequest request, StreamHandler handler) {
    return stream(request, CallOptions.DEFAULT, handler);
  }

  /** Releases what the client owns (threads, connection pools it created). Idempotent. */
  @Override
  void close();
}

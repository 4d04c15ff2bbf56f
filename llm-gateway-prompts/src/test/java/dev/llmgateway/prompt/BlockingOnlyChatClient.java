package dev.llmgateway.prompt;

import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatClient;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.StreamHandler;
import java.util.concurrent.CompletableFuture;

/** Test support: a {@link ChatClient} that only answers blocking calls; the rest fail loudly. */
public abstract class BlockingOnlyChatClient implements ChatClient {

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallOptions options) {
    throw new UnsupportedOperationException("blocking calls only");
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    throw new UnsupportedOperationException("blocking calls only");
  }

  @Override
  public CompletableFuture<ChatResponse> stream(ChatRequest request, CallOptions options,
      StreamHandler handler) {
    throw new UnsupportedOperationException("blocking calls only");
  }

  @Override
  public void close() {}
}

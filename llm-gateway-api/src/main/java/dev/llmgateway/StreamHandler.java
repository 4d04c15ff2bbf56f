package dev.llmgateway;

import dev.llmgateway.error.LlmException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Callbacks for {@link ChatClient#stream(ChatRequest, CallOptions, StreamHandler)}, the push-style API
 * built on the pull-based {@link ChatStream}. Called on one thread, in order; exactly one of
 * {@link #onComplete} and {@link #onError} ends the sequence.
 */
public interface StreamHandler {

  /** The next chunk. */
  void onChunk(ChatChunk chunk);

  /** The stream ended normally; {@code response} assembles every chunk. */
  default void onComplete(ChatResponse response) {}

  /** The stream failed. */
  default void onError(LlmException error) {}

  /** A handler that passes each piece of text to {@code onText} and ignores everything else. */
  static StreamHandler onText(Consumer<String> onText) {
    Objects.requireNonNull(onText, "onText");
    return chunk -> {
      if (chunk instanceof ChatChunk.TextDelta t) {
        onText.accept(t.text());
      }
    };
  }
}

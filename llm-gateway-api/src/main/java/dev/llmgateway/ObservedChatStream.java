package dev.llmgateway;

import dev.llmgateway.error.LlmException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** The stream behind {@link ChatStream#observeEnd}: accumulates as chunks pass and reports the end once. */
final class ObservedChatStream implements ChatStream {
  private final ChatStream source;
  private final StreamObserver observer;
  private final ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
  private final AtomicBoolean reported = new AtomicBoolean();

  ObservedChatStream(ChatStream source, StreamObserver observer) {
    this.source = Objects.requireNonNull(source, "source");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public @Nullable ChatChunk next() {
    ChatChunk chunk;
    try {
      chunk = source.next();
    } catch (LlmException e) {
      if (reported.compareAndSet(false, true)) {
        observer.onError(e, snapshot());
      }
      throw e;
    }
    if (chunk == null) {
      if (reported.compareAndSet(false, true)) {
        observer.onComplete(snapshot());
      }
      return null;
    }
    synchronized (accumulator) {
      accumulator.accept(chunk);
    }
    return chunk;
  }

  @Override
  public void close() {
    try {
      source.close();
    } finally {
      if (reported.compareAndSet(false, true)) {
        observer.onClosedEarly(snapshot());
      }
    }
  }

  private ChatResponse snapshot() {
    synchronized (accumulator) {
      return accumulator.build();
    }
  }
}

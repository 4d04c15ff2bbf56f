package dev.llmgateway;

import dev.llmgateway.error.LlmException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A streamed answer, pulled one {@link ChatChunk} at a time. Pull-based on purpose: an interceptor wraps
 * the stream it got from the chain and transforms chunks as the caller pulls them, with no threads, no
 * buffering and natural back-pressure. Async and callback styles are built on top of it.
 *
 * <p>Always close a stream, ideally with try-with-resources: closing it before the end cancels the
 * underlying HTTP call and releases its connection. {@link #close()} is idempotent and may be called from
 * another thread to abort a blocked {@link #next()}.
 *
 * <pre>{@code
 * try (ChatStream stream = client.stream(request)) {
 *   for (ChatChunk chunk : stream) {
 *     if (chunk instanceof ChatChunk.TextDelta t) System.out.print(t.text());
 *   }
 * }
 * }</pre>
 */
public interface ChatStream extends AutoCloseable, Iterable<ChatChunk> {

  /**
   * Blocks until the next chunk arrives.
   *
   * @return the next chunk, or null once the stream has ended normally
   * @throws LlmException when the provider failed, the stream was cut off, or it was closed
   */
  @Nullable ChatChunk next();

  /** Ends the stream, cancelling the upstream call if it is still running. Idempotent. */
  @Override
  void close();

  /**
   * Pulls every remaining chunk and assembles them, with {@link ChatResponseAccumulator}, into the
   * response a blocking call would have returned; then closes the stream.
   */
  default ChatResponse collect() {
    ChatResponseAccumulator acc = new ChatResponseAccumulator();
    try (this) {
      for (ChatChunk c = next(); c != null; c = next()) {
        acc.accept(c);
      }
    }
    return acc.build();
  }

  /** Iterates the remaining chunks; {@link #next()} errors surface from {@code hasNext()}. */
  @Override
  default Iterator<ChatChunk> iterator() {
    return new Iterator<>() {
      private @Nullable ChatChunk pending;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (pending == null && !done) {
          pending = ChatStream.this.next();
          done = pending == null;
        }
        return pending != null;
      }

      @Override
      public ChatChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ChatChunk c = pending;
        pending = null;
        return c;
      }
    };
  }

  /** A stream whose chunks are {@code mapper} applied to this one's. Closing it closes this one. */
  default ChatStream map(UnaryOperator<ChatChunk> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    ChatStream source = this;
    return new ChatStream() {
      @Override
      public @Nullable ChatChunk next() {
        ChatChunk c = source.next();
        return c == null ? null : Objects.requireNonNull(mapper.apply(c), "mapper returned null");
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  /** A stream that shows each chunk to {@code observer} as it passes. */
  default ChatStream peek(Consumer<? super ChatChunk> observer) {
    Objects.requireNonNull(observer, "observer");
    return map(c -> {
      observer.accept(c);
      return c;
    });
  }

  /**
   * A stream that reports how it ended to {@code observer}, exactly once: completed (with the assembled
   * response), failed, or closed before its end. Use it to settle budgets, store cache entries or log.
   */
  default ChatStream observeEnd(StreamObserver observer) {
    return new ObservedChatStream(this, observer);
  }

  /** A finished stream replaying {@code chunks}, e.g. a cache hit. */
  static ChatStream of(List<ChatChunk> chunks) {
    List<ChatChunk> copy = List.copyOf(chunks);
    return new ChatStream() {
      private int position;
      private boolean closed;

      @Override
      public synchronized @Nullable ChatChunk next() {
        if (closed) {
          throw new dev.llmgateway.error.StreamClosedException();
        }
        return position < copy.size() ? copy.get(position++) : null;
      }

      @Override
      public synchronized void close() {
        closed = true;
      }
    };
  }

  /** The three ways a stream can end, as seen by {@link #observeEnd(StreamObserver)}. */
  interface StreamObserver {
    /** Every chunk arrived; {@code response} is their assembly. */
    default void onComplete(ChatResponse response) {}

    /** The stream failed; {@code partial} holds what arrived before. */
    default void onError(LlmException error, ChatResponse partial) {}

    /** The consumer closed the stream before its end; {@code partial} holds what arrived before. */
    default void onClosedEarly(ChatResponse partial) {}
  }
}

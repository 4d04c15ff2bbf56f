package dev.llmgateway.resilience.internal;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatStream;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stream whose beginning was pulled ahead, up to and including its first chunk that is part of the
 * answer (anything but a {@link ChatChunk.Start} or a {@link ChatChunk.UsageUpdate}, as the router counts
 * too): until then a failure is not yet the caller's business, and the call may still be retried, hedged
 * or routed elsewhere. It replays the pulled chunks, then reads on from the source.
 */
public final class PrimedStream implements ChatStream {
  private final ChatStream source;
  private final ArrayDeque<ChatChunk> pulled;
  private final boolean ended;
  private volatile boolean closed;

  private PrimedStream(ChatStream source, ArrayDeque<ChatChunk> pulled, boolean ended) {
    this.source = source;
    this.pulled = pulled;
    this.ended = ended;
  }

  /**
   * Pulls {@code source} up to its first answer chunk, or its end. On failure the source is closed and
   * the exception thrown.
   */
  public static PrimedStream prime(ChatStream source) {
    Objects.requireNonNull(source, "stream");
    ArrayDeque<ChatChunk> pulled = new ArrayDeque<>(2);
    try {
      while (true) {
        ChatChunk chunk = source.next();
        if (chunk == null) {
          return new PrimedStream(source, pulled, true);
        }
        pulled.add(chunk);
        if (isAnswer(chunk)) {
          return new PrimedStream(source, pulled, false);
        }
      }
    } catch (RuntimeException | Error e) {
      closeQuietly(source, e);
      throw e;
    }
  }

  /** Whether {@code chunk} is part of the answer rather than ids or a usage count. */
  public static boolean isAnswer(ChatChunk chunk) {
    return !(chunk instanceof ChatChunk.Start) && !(chunk instanceof ChatChunk.UsageUpdate);
  }

  @Override
  public @Nullable ChatChunk next() {
    if (closed) {
      throw new dev.llmgateway.error.StreamClosedException();
    }
    synchronized (pulled) {
      ChatChunk chunk = pulled.poll();
      if (chunk != null) {
        return chunk;
      }
    }
    return ended ? null : source.next();
  }

  @Override
  public void close() {
    closed = true;
    source.close();
  }

  private static void closeQuietly(ChatStream source, Throwable failure) {
    try {
      source.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}

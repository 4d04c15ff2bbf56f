package dev.llmgateway.routing.internal;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Usage;
import dev.llmgateway.error.LlmException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The stream the router hands out once an attempt has produced the first part of its answer: it first
 * replays the chunks the router pulled to find that out, then passes the rest through, and reports how
 * the attempt ended (completed, failed, closed early) exactly once. A failure from here on reaches the
 * caller: the router never splices two answers.
 */
public final class RoutedStream implements ChatStream {
  private final ChatStream source;
  private final ArrayDeque<ChatChunk> held;
  private final CallRoute route;
  private final CallRoute.Lease lease;
  private final AtomicBoolean ended = new AtomicBoolean();
  private boolean sourceEnded;
  private @Nullable Usage usage;

  /**
   * @param held the chunks already pulled from {@code source}, in order
   * @param sourceEnded whether {@code source} already returned its end
   */
  public RoutedStream(ChatStream source, ArrayDeque<ChatChunk> held, boolean sourceEnded,
      CallRoute route, CallRoute.Lease lease) {
    this.source = Objects.requireNonNull(source, "source");
    this.held = held;
    this.sourceEnded = sourceEnded;
    this.route = route;
    this.lease = lease;
    held.forEach(this::watch);
  }

  @Override
  public @Nullable ChatChunk next() {
    ChatChunk chunk = held.poll();
    if (chunk != null) {
      return chunk;
    }
    if (!sourceEnded) {
      try {
        chunk = source.next();
      } catch (LlmException e) {
        if (ended.compareAndSet(false, true)) {
          route.failedAfterAnswerBegan(lease, e);
        }
        throw e;
      } catch (RuntimeException | Error e) {
        if (ended.compareAndSet(false, true)) {
          route.unexpected(lease, e);
        }
        throw e;
      }
      if (chunk != null) {
        watch(chunk);
        return chunk;
      }
      sourceEnded = true;
    }
    if (ended.compareAndSet(false, true)) {
      route.succeeded(lease, usage);
    }
    return null;
  }

  private void watch(ChatChunk chunk) {
    if (chunk instanceof ChatChunk.UsageUpdate u) {
      usage = u.usage();
    }
  }

  @Override
  public void close() {
    try {
      source.close();
    } finally {
      if (ended.compareAndSet(false, true)) {
        route.closedEarly(lease);
      }
    }
  }
}

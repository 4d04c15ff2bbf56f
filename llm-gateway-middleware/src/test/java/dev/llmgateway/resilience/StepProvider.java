package dev.llmgateway.resilience;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.StreamClosedException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A provider that plays a script, one step per call (then answers "ok"): answers, failures, streams cut
 * after some chunks, and calls that hang until their context is cancelled.
 */
final class StepProvider implements ChatProvider {
  private static final int HANG_SECONDS = 20;

  /** What one call does. */
  @FunctionalInterface
  interface Step {
    ChatStream open(ChatRequest request, CallContext context);
  }

  final String name;
  final ConcurrentLinkedDeque<Step> script = new ConcurrentLinkedDeque<>();
  final AtomicInteger calls = new AtomicInteger();
  final List<CallContext> contexts = new CopyOnWriteArrayList<>();

  StepProvider(String name) {
    this.name = name;
  }

  StepProvider then(Step... steps) {
    script.addAll(List.of(steps));
    return this;
  }

  static List<ChatChunk> answerChunks(String text) {
    return List.of(new ChatChunk.Start("id-" + text.hashCode(), "model", "step", null),
        new ChatChunk.TextDelta(text), new ChatChunk.Finish(FinishReason.STOP, "stop"),
        new ChatChunk.UsageUpdate(Usage.of(1, 1)));
  }

  static Step answer(String text) {
    return (request, context) -> ChatStream.of(answerChunks(text));
  }

  static Step fail(LlmException error) {
    return (request, context) -> {
      throw error;
    };
  }

  /** A stream that delivers {@code chunks}, then fails with {@code error}. */
  static Step failAfter(List<ChatChunk> chunks, LlmException error) {
    return (request, context) -> new ChatStream() {
      private int position;

      @Override
      public @Nullable ChatChunk next() {
        if (position < chunks.size()) {
          return chunks.get(position++);
        }
        throw error;
      }

      @Override
      public void close() {}
    };
  }

  /** Counts {@code started} down, then blocks until the call's context is cancelled. */
  static Step hangUntilCancelled(CountDownLatch started) {
    return (request, context) -> {
      started.countDown();
      awaitCancel(context);
      throw new CallCancelledException("cancelled while waiting for the answer");
    };
  }

  /** Delivers {@code chunks}, counts {@code started} down, then blocks in next() until cancelled. */
  static Step hangAfter(List<ChatChunk> chunks, CountDownLatch started) {
    return (request, context) -> new ChatStream() {
      private int position;
      private volatile boolean closed;
      private final CountDownLatch closedLatch = new CountDownLatch(1);

      @Override
      public @Nullable ChatChunk next() {
        if (closed) {
          throw new StreamClosedException();
        }
        if (position < chunks.size()) {
          return chunks.get(position++);
        }
        started.countDown();
        CountDownLatch cancelled = new CountDownLatch(1);
        context.onCancel(cancelled::countDown);
        try {
          while (!cancelled.await(10, TimeUnit.MILLISECONDS) && !closed) {
            // wait for a cancel or a close
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw closed ? new StreamClosedException() : new CallCancelledException("cancelled mid-stream");
      }

      @Override
      public void close() {
        closed = true;
        closedLatch.countDown();
      }
    };
  }

  static void awaitCancel(CallContext context) {
    CountDownLatch cancelled = new CountDownLatch(1);
    context.onCancel(cancelled::countDown);
    try {
      if (!cancelled.await(HANG_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the call was never cancelled");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.ALL;
  }

  private ChatStream open(ChatRequest request, CallContext context) {
    calls.incrementAndGet();
    contexts.add(context);
    Step step = script.poll();
    return (step != null ? step : answer("ok from " + name)).open(request, context);
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return open(request, context).collect();
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    return open(request, context);
  }

  /** Every chunk of {@code stream}, in order. */
  static List<ChatChunk> drain(ChatStream stream) {
    List<ChatChunk> chunks = new ArrayList<>();
    try (stream) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }
    return chunks;
  }
}

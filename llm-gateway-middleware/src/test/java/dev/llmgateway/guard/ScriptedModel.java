package dev.llmgateway.guard;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A scripted model for the safety tests: a {@link ChatProvider} (named {@code scripted}) and the end of a
 * pipeline ({@link #chain}, {@link #streamChain}) that answer with queued texts or a function of the
 * request, record every request, and stream an answer as the chunks given.
 */
public final class ScriptedModel implements ChatProvider {
  public final List<ChatRequest> received = new CopyOnWriteArrayList<>();
  public final AtomicInteger streamsClosed = new AtomicInteger();
  private final Deque<String> answers = new ArrayDeque<>();
  private final Deque<List<String>> streams = new ArrayDeque<>();
  private Function<ChatRequest, String> fallback = r -> "ok";

  /** Queues the text of the next blocking answer. */
  public synchronized ScriptedModel thenAnswer(String text) {
    answers.add(text);
    return this;
  }

  /** Queues the text deltas of the next stream. */
  public synchronized ScriptedModel thenStream(String... deltas) {
    streams.add(List.of(deltas));
    return this;
  }

  /** Answers with {@code f} once the queue is empty. */
  public synchronized ScriptedModel otherwise(Function<ChatRequest, String> f) {
    this.fallback = f;
    return this;
  }

  public static ChatResponse response(ChatRequest request, String text) {
    return ChatResponse.builder().id("resp-1").model(request.model()).provider("scripted")
        .message(Message.assistant(text)).finishReason(FinishReason.STOP).rawFinishReason("stop")
        .usage(Usage.of(12, 5)).requestId("req-1").build();
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.ALL;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    received.add(request);
    String text;
    synchronized (this) {
      text = answers.isEmpty() ? fallback.apply(request) : answers.poll();
    }
    return response(request, text);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    received.add(request);
    List<String> deltas;
    synchronized (this) {
      deltas = streams.isEmpty() ? List.of(fallback.apply(request)) : streams.poll();
    }
    List<ChatChunk> chunks = new ArrayList<>();
    chunks.add(new ChatChunk.Start("resp-1", request.model(), "scripted", "req-1"));
    deltas.forEach(d -> chunks.add(new ChatChunk.TextDelta(d)));
    chunks.add(new ChatChunk.Finish(FinishReason.STOP, "stop"));
    chunks.add(new ChatChunk.UsageUpdate(Usage.of(12, 5)));
    ChatStream replay = ChatStream.of(chunks);
    return new ChatStream() {
      @Override
      public @Nullable ChatChunk next() {
        return replay.next();
      }

      @Override
      public void close() {
        streamsClosed.incrementAndGet();
        replay.close();
      }
    };
  }

  /** The end of a pipeline for blocking calls, calling this model under {@code context}. */
  public Interceptor.Chain chain(CallContext context) {
    return new Interceptor.Chain() {
      @Override
      public ChatResponse proceed(ChatRequest request) {
        return chat(request, context);
      }

      @Override
      public CallContext context() {
        return context;
      }
    };
  }

  /** The end of a pipeline for streams, calling this model under {@code context}. */
  public Interceptor.StreamChain streamChain(CallContext context) {
    return new Interceptor.StreamChain() {
      @Override
      public ChatStream proceed(ChatRequest request) {
        return stream(request, context);
      }

      @Override
      public CallContext context() {
        return context;
      }
    };
  }

  /** Every remaining chunk's text, pulled one by one, as a list of the deltas delivered. */
  public static List<String> drainText(ChatStream stream, List<String> delivered) {
    for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
      if (c instanceof ChatChunk.TextDelta t) {
        delivered.add(t.text());
      }
    }
    return delivered;
  }
}

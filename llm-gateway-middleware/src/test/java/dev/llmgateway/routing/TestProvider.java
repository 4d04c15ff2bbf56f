package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A provider that fails on demand: answers "from NAME" unless told to fail, records the requests it got,
 * and streams its answer in five chunks (start, two text deltas, finish, usage), or fails a stream at open
 * or after given chunks.
 */
final class TestProvider implements ChatProvider {
  final String name;
  final List<ChatRequest> received = new CopyOnWriteArrayList<>();
  final AtomicInteger streamsClosed = new AtomicInteger();
  volatile BiFunction<ChatRequest, CallContext, ChatResponse> answer;
  volatile Function<ChatRequest, ChatStream> streamAnswer;

  TestProvider(String name) {
    this.name = name;
    this.answer = (request, context) -> answer(request);
    this.streamAnswer = request -> chunks(answer(request));
  }

  /** Every call, blocking or streaming, fails at once with what {@code failure} makes. */
  TestProvider failWith(Function<String, LlmException> failure) {
    answer = (request, context) -> {
      throw failure.apply(request.model());
    };
    streamAnswer = request -> {
      throw failure.apply(request.model());
    };
    return this;
  }

  /** Streams send {@code before} chunks (of the normal answer), then fail with what {@code failure} makes. */
  TestProvider failStreamAfter(int before, Function<String, LlmException> failure) {
    streamAnswer = request -> {
      List<ChatChunk> all = chunkList(answer(request));
      return failing(all.subList(0, before), failure.apply(request.model()));
    };
    return this;
  }

  ChatResponse answer(ChatRequest request) {
    return ChatResponse.builder().id("resp-" + name).model(request.model()).provider(name)
        .message(Message.assistant("from " + name)).finishReason(FinishReason.STOP)
        .rawFinishReason("stop").usage(Usage.of(10, 5)).build();
  }

  ErrorContext where(String model) {
    return ErrorContext.of(name, model);
  }

  static List<ChatChunk> chunkList(ChatResponse response) {
    String text = response.text();
    return List.of(new ChatChunk.Start(response.id(), response.model(), response.provider(), null),
        new ChatChunk.TextDelta(text.substring(0, 5)), new ChatChunk.TextDelta(text.substring(5)),
        new ChatChunk.Finish(FinishReason.STOP, "stop"), new ChatChunk.UsageUpdate(response.usage()));
  }

  ChatStream chunks(ChatResponse response) {
    return tracked(ChatStream.of(chunkList(response)));
  }

  private ChatStream failing(List<ChatChunk> before, LlmException failure) {
    List<ChatChunk> queue = new ArrayList<>(before);
    return tracked(new ChatStream() {
      @Override
      public @Nullable ChatChunk next() {
        if (!queue.isEmpty()) {
          return queue.remove(0);
        }
        throw failure;
      }

      @Override
      public void close() {}
    });
  }

  private ChatStream tracked(ChatStream stream) {
    return new ChatStream() {
      @Override
      public @Nullable ChatChunk next() {
        return stream.next();
      }

      @Override
      public void close() {
        streamsClosed.incrementAndGet();
        stream.close();
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.ALL;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    received.add(request);
    return answer.apply(request, context);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    received.add(request);
    return streamAnswer.apply(request);
  }
}

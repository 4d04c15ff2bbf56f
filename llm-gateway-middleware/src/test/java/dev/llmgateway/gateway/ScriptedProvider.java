package dev.llmgateway.gateway;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/** A provider for pipeline tests: answers "echo: <last user text>" and records what it received. */
final class ScriptedProvider implements ChatProvider {
  final String name;
  final List<ChatRequest> received = new CopyOnWriteArrayList<>();
  final List<CallContext> contexts = new CopyOnWriteArrayList<>();
  final AtomicInteger streamsClosed = new AtomicInteger();
  ProviderCapabilities capabilities = ProviderCapabilities.ALL;
  BiFunction<ChatRequest, CallContext, ChatResponse> answer = ScriptedProvider::echo;

  ScriptedProvider(String name) {
    this.name = name;
  }

  static ChatResponse echo(ChatRequest request, CallContext context) {
    String last = request.messages().get(request.messages().size() - 1).text();
    return ChatResponse.builder().id("resp-1").model(request.model()).provider("scripted")
        .message(Message.assistant("echo: " + last)).finishReason(FinishReason.STOP)
        .rawFinishReason("stop").usage(Usage.of(3, 2)).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    received.add(request);
    contexts.add(context);
    return answer.apply(request, context);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    received.add(request);
    contexts.add(context);
    ChatResponse response = answer.apply(request, context);
    List<ChatChunk> chunks = List.of(
        new ChatChunk.Start(response.id(), response.model(), name, null),
        new ChatChunk.TextDelta(response.text().substring(0, Math.min(4, response.text().length()))),
        new ChatChunk.TextDelta(response.text().substring(Math.min(4, response.text().length()))),
        new ChatChunk.Finish(response.finishReason(), response.rawFinishReason()),
        new ChatChunk.UsageUpdate(response.usage()));
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
}

package dev.llmgateway.context;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A model for the context-window tests: a {@link ChatProvider} named {@code fake} and the end of a
 * pipeline ({@link #chain}, {@link #streamChain}), answering with a function of the request and
 * recording every request and context it received. Streams deliver the answer in two text chunks.
 */
final class FakeModel implements ChatProvider {
  final List<ChatRequest> received = new CopyOnWriteArrayList<>();
  final List<CallContext> contexts = new CopyOnWriteArrayList<>();
  private volatile Function<ChatRequest, String> answer = r -> "ok";

  /** Answers with {@code f}, which may throw to fail the call. */
  FakeModel answering(Function<ChatRequest, String> f) {
    this.answer = f;
    return this;
  }

  /** Whether {@code request} is a summary call of the interceptor (by its default system prompt). */
  static boolean isSummaryCall(ChatRequest request) {
    return request.messages().get(0).text().equals(ContextWindowInterceptor.DEFAULT_SUMMARY_PROMPT);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.ALL;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    received.add(request);
    contexts.add(context);
    return response(request, answer.apply(request));
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    received.add(request);
    contexts.add(context);
    String text = answer.apply(request);
    int half = text.length() / 2;
    List<ChatChunk> chunks = new ArrayList<>();
    chunks.add(new ChatChunk.Start("resp-1", request.model(), "fake", "req-1"));
    chunks.add(new ChatChunk.TextDelta(text.substring(0, half)));
    chunks.add(new ChatChunk.TextDelta(text.substring(half)));
    chunks.add(new ChatChunk.Finish(FinishReason.STOP, "stop"));
    chunks.add(new ChatChunk.UsageUpdate(Usage.of(10, 2)));
    return ChatStream.of(chunks);
  }

  static ChatResponse response(ChatRequest request, String text) {
    return ChatResponse.builder().id("resp-1").model(request.model()).provider("fake")
        .message(new Message(dev.llmgateway.Role.ASSISTANT, List.of(new ContentPart.Text(text))))
        .finishReason(FinishReason.STOP).rawFinishReason("stop").usage(Usage.of(10, 2))
        .requestId("req-1").build();
  }

  Interceptor.Chain chain(CallContext context) {
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

  Interceptor.StreamChain streamChain(CallContext context) {
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
}

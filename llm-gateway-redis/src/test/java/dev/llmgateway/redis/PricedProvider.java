package dev.llmgateway.redis;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.spi.ChatProvider;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A scripted provider named {@code test} (like the middleware tests' {@code UsageProvider}): answers
 * "answer" with the usage {@link #usage} gives, blocking or as a stream ending with a usage chunk.
 * {@link #CATALOG} prices its model {@code m1} at $1 per million input and $2 per million output tokens.
 */
final class PricedProvider implements ChatProvider {
  static final ModelPricing M1_PRICES = ModelPricing.usd(new BigDecimal("1.00"), new BigDecimal("2.00"),
      LocalDate.parse("2025-06-01"), "https://example.test/prices");
  static final ModelCatalog CATALOG = ModelCatalog.builder()
      .add(ModelInfo.of("test", "m1", 100_000, null, ModelCapabilities.ALL, M1_PRICES)).build();

  volatile Function<ChatRequest, Usage> usage = request -> Usage.of(10, 50);
  final AtomicInteger calls = new AtomicInteger();

  @Override
  public String name() {
    return "test";
  }

  private ChatResponse answer(ChatRequest request) {
    calls.incrementAndGet();
    return ChatResponse.builder().id("r1").model(request.model()).provider("test")
        .message(Message.assistant("answer")).finishReason(FinishReason.STOP).rawFinishReason("stop")
        .usage(usage.apply(request)).build();
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return answer(request);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    ChatResponse response = answer(request);
    List<ChatChunk> chunks = List.of(new ChatChunk.Start(response.id(), response.model(), "test", null),
        new ChatChunk.TextDelta("ans"), new ChatChunk.TextDelta("wer"),
        new ChatChunk.Finish(FinishReason.STOP, "stop"), new ChatChunk.UsageUpdate(response.usage()));
    return new ChatStream() {
      private int position;

      @Override
      public synchronized @Nullable ChatChunk next() {
        return position < chunks.size() ? chunks.get(position++) : null;
      }

      @Override
      public void close() {}
    };
  }
}

package dev.llmgateway.cost;

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
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.spi.ChatProvider;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A provider named {@code test} for the accounting tests: answers "answer" with the usage its
 * {@link #usage} function gives, streams it as start, "ans", "wer", finish, usage, and fails on demand (at
 * once, or a stream after some chunks; a stream whose call was cancelled fails with
 * {@link CallCancelledException}). {@link #CATALOG} prices its model {@code m1}.
 */
public final class UsageProvider implements ChatProvider {
  /** {@code test/m1}: $1.00 per million input, $0.10 cached read, $1.25 cache write, $2.00 output. */
  public static final ModelPricing M1_PRICES = ModelPricing.usd(new BigDecimal("1.00"),
      new BigDecimal("2.00"), LocalDate.parse("2025-06-01"), "https://example.test/prices")
      .withCachePrices(new BigDecimal("0.10"), new BigDecimal("1.25"));
  /** A catalog with {@code test/m1} only. */
  public static final ModelCatalog CATALOG = ModelCatalog.builder()
      .add(ModelInfo.of("test", "m1", 100_000, null, ModelCapabilities.ALL, M1_PRICES)).build();

  public volatile Function<ChatRequest, Usage> usage = request -> Usage.of(100, 50);
  /** When set, every call (blocking, or a stream at open) fails with it. */
  public volatile @Nullable LlmException failure;
  /** When >= 0, streams fail with {@link #streamFailure} after this many chunks. */
  public volatile int failStreamAfter = -1;
  public volatile LlmException streamFailure =
      new StreamInterruptedException("cut", ErrorContext.of("test", "m1"), null);
  /** Whether streams end with a usage chunk (and blocking answers carry usage). */
  public volatile boolean reportsUsage = true;
  /** Runs before each answer; tests use it to hold calls in flight. */
  public volatile Runnable beforeAnswer = () -> {};
  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicInteger streamsClosed = new AtomicInteger();

  public static ProviderUnavailableException unavailable() {
    return new ProviderUnavailableException("503", ErrorContext.of("test", "m1"), null);
  }

  @Override
  public String name() {
    return "test";
  }

  private ChatResponse answer(ChatRequest request) {
    calls.incrementAndGet();
    beforeAnswer.run();
    LlmException f = failure;
    if (f != null) {
      throw f;
    }
    return ChatResponse.builder().id("r1").model(request.model()).provider("test")
        .message(Message.assistant("answer")).finishReason(FinishReason.STOP).rawFinishReason("stop")
        .usage(reportsUsage ? usage.apply(request) : Usage.ZERO).build();
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return answer(request);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    ChatResponse response = answer(request);
    List<ChatChunk> chunks = new ArrayList<>(List.of(
        new ChatChunk.Start(response.id(), response.model(), "test", null),
        new ChatChunk.TextDelta("ans"), new ChatChunk.TextDelta("wer"),
        new ChatChunk.Finish(FinishReason.STOP, "stop")));
    if (reportsUsage) {
      chunks.add(new ChatChunk.UsageUpdate(response.usage()));
    }
    int failAfter = failStreamAfter;
    LlmException cut = streamFailure;
    return new ChatStream() {
      private int position;

      @Override
      public synchronized @Nullable ChatChunk next() {
        if (context.isCancelled()) {
          throw new CallCancelledException("the call was cancelled");
        }
        if (failAfter >= 0 && position >= failAfter) {
          throw cut;
        }
        return position < chunks.size() ? chunks.get(position++) : null;
      }

      @Override
      public void close() {
        streamsClosed.incrementAndGet();
      }
    };
  }
}

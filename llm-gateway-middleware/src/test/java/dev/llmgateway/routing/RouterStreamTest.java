package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.gateway.LlmGatewayBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/** Streams fall over until their first answer chunk, and never after it. */
class RouterStreamTest {
  private final ManualClock clock = new ManualClock();
  private final RecordingListener events = new RecordingListener();
  private final TestProvider a = new TestProvider("a");
  private final TestProvider b = new TestProvider("b");

  private LlmGateway gateway(RouterInterceptor router) {
    LlmGatewayBuilder builder = LlmGateway.builder().discoverProviders(false).logging(false)
        .addListener(events).addInterceptor(router);
    return builder.provider(a).provider(b).build();
  }

  private RouterInterceptor router() {
    return RouterInterceptor.builder().clock(clock).modelCatalog(ModelCatalog.empty())
        .group(ModelGroup.builder("main").strategy(FirstAvailableStrategy.INSTANCE)
            .deployment(Deployment.of("a", "a/m")).deployment(Deployment.of("b", "b/m")).build())
        .build();
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("main").user("hello").build();
  }

  private static Function<String, LlmException> interrupted(String provider) {
    return model -> new StreamInterruptedException("stream ended before " + provider
        + " said it was complete", ErrorContext.of(provider, model), null);
  }

  private static List<ChatChunk> drain(ChatStream stream) {
    List<ChatChunk> chunks = new ArrayList<>();
    try (stream) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }
    return chunks;
  }

  private List<String> attemptSummary(RouterInterceptor router) {
    CallContext context = events.ended.get(events.ended.size() - 1);
    return context.get(RouterInterceptor.ATTEMPTS).attempts().stream()
        .map(t -> t.deploymentId() + ":" + t.outcome()).toList();
  }

  @Test
  void aStreamFailingToOpenFallsOverTransparently() {
    a.failWith(model -> new ProviderUnavailableException("503", ErrorContext.of("a", model), null));
    RouterInterceptor router = router();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.stream(ask()).collect().text()).isEqualTo("from b");
    }
    assertThat(attemptSummary(router)).containsExactly("a:FAILED", "b:SUCCEEDED");
  }

  @Test
  void aStreamFailingBeforeItsFirstAnswerChunkFallsOverTransparently() {
    a.failStreamAfter(1, interrupted("a")); // only the Start chunk, then the connection drops
    RouterInterceptor router = router();
    try (LlmGateway gateway = gateway(router)) {
      List<ChatChunk> chunks = drain(gateway.stream(ask()));

      assertThat(chunks.get(0)).isInstanceOfSatisfying(ChatChunk.Start.class,
          s -> assertThat(s.provider()).as("a's start was held back, not replayed").isEqualTo("b"));
      assertThat(chunks).filteredOn(ChatChunk.Start.class::isInstance).hasSize(1);
      assertThat(chunks).filteredOn(ChatChunk.TextDelta.class::isInstance)
          .extracting(ch -> ((ChatChunk.TextDelta) ch).text()).containsExactly("from ", "b");
    }
    assertThat(a.streamsClosed).hasValue(1);
    assertThat(attemptSummary(router)).containsExactly("a:FAILED", "b:SUCCEEDED");
  }

  @Test
  void aStreamFailingAfterItsFirstAnswerChunkFailsTheCaller() {
    a.failStreamAfter(2, interrupted("a")); // Start and "from ", then the connection drops
    RouterInterceptor router = router();
    try (LlmGateway gateway = gateway(router)) {
      ChatStream stream = gateway.stream(ask());
      assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
      assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("from "));
      assertThatThrownBy(stream::next).isInstanceOf(StreamInterruptedException.class);
      stream.close();
    }
    assertThat(b.received).as("never spliced with another answer").isEmpty();
    assertThat(attemptSummary(router)).containsExactly("a:FAILED");
    assertThat(router.stats().inFlight("a")).isZero();
  }

  @Test
  void anInvalidStreamRequestIsNotRoutedAround() {
    a.failWith(model -> new InvalidRequestException("bad", ErrorContext.of("a", model), null));
    try (LlmGateway gateway = gateway(router())) {
      assertThatThrownBy(() -> gateway.stream(ask())).isInstanceOf(InvalidRequestException.class);
    }
    assertThat(b.received).isEmpty();
  }

  @Test
  void allCoolingDownFailsAStreamAtOnce() {
    Function<String, LlmException> limited = model -> new RateLimitedException("429",
        ErrorContext.of("x", model).withRetryAfter(Duration.ofSeconds(5)), null);
    a.failWith(limited);
    b.failWith(limited);
    try (LlmGateway gateway = gateway(router())) {
      assertThatThrownBy(() -> gateway.stream(ask())).isInstanceOf(NoDeploymentAvailableException.class);
      assertThatThrownBy(() -> gateway.stream(ask())).isInstanceOfSatisfying(NoDeploymentAvailableException.class,
          e -> assertThat(e.attemptLog()).isEmpty());
    }
    assertThat(a.received).hasSize(1);
    assertThat(b.received).hasSize(1);
  }

  @Test
  void aStreamClosedEarlyIsRecordedAndReleasesItsSlot() {
    RouterInterceptor router = router();
    try (LlmGateway gateway = gateway(router)) {
      ChatStream stream = gateway.stream(ask());
      assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
      assertThat(router.stats().inFlight("a")).isEqualTo(1);
      stream.close();
    }
    assertThat(attemptSummary(router)).containsExactly("a:CLOSED_EARLY");
    assertThat(router.stats().inFlight("a")).isZero();
    assertThat(a.streamsClosed).hasValue(1);
  }

  @Test
  void aStreamsTimeToFirstTokenIsMeasuredAndItsUsageCounted() {
    a.streamAnswer = request -> new ChatStream() {
      private final List<ChatChunk> chunks = new ArrayList<>(TestProvider.chunkList(a.answer(request)));

      @Override
      public @Nullable ChatChunk next() {
        if (chunks.isEmpty()) {
          return null;
        }
        ChatChunk next = chunks.remove(0);
        clock.advance(Duration.ofMillis(100)); // every chunk takes 100 ms
        return next;
      }

      @Override
      public void close() {}
    };
    RouterInterceptor router = router();
    try (LlmGateway gateway = gateway(router)) {
      gateway.stream(ask()).collect();
    }
    // Start at 100 ms, first text at 200 ms; five chunks and the end at 500 ms.
    assertThat(router.stats().averageTimeToFirstToken("a")).isEqualTo(Duration.ofMillis(200));
    assertThat(router.stats().averageLatency("a")).isEqualTo(Duration.ofMillis(500));
    assertThat(router.stats().tokensThisMinute("a")).as("the usage chunk's 10 + 5 tokens").isEqualTo(15);
  }
}

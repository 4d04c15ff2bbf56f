package dev.llmgateway.resilience;

import static dev.llmgateway.resilience.StepProvider.answer;
import static dev.llmgateway.resilience.StepProvider.answerChunks;
import static dev.llmgateway.resilience.StepProvider.fail;
import static dev.llmgateway.resilience.StepProvider.hangAfter;
import static dev.llmgateway.resilience.StepProvider.hangUntilCancelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.gateway.LlmGateway;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HedgingInterceptorTest {
  private static final Duration DELAY = Duration.ofMillis(700);
  private static final int WAIT_SECONDS = 10;

  private final ManualScheduler scheduler = new ManualScheduler();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final StepProvider provider = new StepProvider("p");
  private LlmGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    executor.shutdownNow();
  }

  private LlmGateway gateway(HedgingInterceptor hedging) {
    gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addInterceptor(hedging).build();
    return gateway;
  }

  private HedgingInterceptor.Builder hedging() {
    return HedgingInterceptor.builder(executor, scheduler);
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("p/model").user("hello").build();
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    HedgingInterceptor interceptor = hedging().build();
    assertThat(interceptor.defaultPolicy()).isNull();
    assertThat(HedgingInterceptor.DEFAULT_POLICY).isNull();
    assertThat(interceptor.groups()).isEmpty();
    assertThat(interceptor.currentDelay("p/model")).as("no group is hedged by default").isNull();
    assertThat(HedgingInterceptor.DEFAULT_GROUP_OF.apply(ask(), CallContext.standalone(false)))
        .isEqualTo("p/model");
    assertThat(HedgingInterceptor.DEFAULT_NANO_TIME.getAsLong()).isPositive();

    HedgePolicy fixed = HedgePolicy.fixed(DELAY);
    assertThat(fixed.isAdaptive()).isFalse();
    assertThat(fixed.window()).isEqualTo(HedgePolicy.DEFAULT_WINDOW).isEqualTo(100);
    assertThat(fixed.minSamples()).isEqualTo(HedgePolicy.DEFAULT_MIN_SAMPLES).isEqualTo(20);
    assertThat(fixed.minDelay()).isEqualTo(HedgePolicy.DEFAULT_MIN_DELAY).isEqualTo(Duration.ofMillis(50));
    HedgePolicy p95 = HedgePolicy.p95(DELAY);
    assertThat(p95.percentile()).isEqualTo(HedgePolicy.DEFAULT_PERCENTILE).isEqualTo(0.95);
    assertThat(p95.toBuilder().build()).isEqualTo(p95);
  }

  @Test
  void policiesAreChecked() {
    assertThatThrownBy(() -> HedgePolicy.builder().build()).isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("delay");
    assertThatThrownBy(() -> HedgePolicy.builder().delay(DELAY).percentile(1.5).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("percentile");
    assertThatThrownBy(() -> HedgePolicy.builder().delay(DELAY).window(5).minSamples(6).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("minSamples");
  }

  @Test
  void aGroupWithoutPolicyIsNotHedged() {
    gateway(hedging().group("other", HedgePolicy.fixed(DELAY)).build()).chat(ask());
    assertThat(provider.contexts.get(0).isFork()).isFalse();
    assertThat(scheduler.pending()).isEmpty();
  }

  @Test
  void aSlowFirstAttemptIsHedgedAndTheFasterAnswerWins() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    provider.then(hangUntilCancelled(firstStarted), answer("from the hedge"));
    gateway(hedging().group("p/model", HedgePolicy.fixed(DELAY)).build());

    CompletableFuture<ChatResponse> call = gateway.chatAsync(ask());
    await(firstStarted);
    scheduler.pendingWithDelay(DELAY).fire();

    assertThat(call.get(WAIT_SECONDS, TimeUnit.SECONDS).text()).isEqualTo("from the hedge");
    assertThat(provider.calls).hasValue(2);
    CallContext first = provider.contexts.get(0);
    CallContext hedge = provider.contexts.get(1);
    assertThat(first.isFork()).isTrue();
    assertThat(first.isCancelled()).as("the slower attempt is cancelled").isTrue();
    assertThat(hedge.isCancelled()).isFalse();
  }

  @Test
  void aFirstAttemptThatAnswersInTimeIsNotHedged() {
    ChatResponse response = gateway(hedging().group("p/model", HedgePolicy.fixed(DELAY)).build()).chat(ask());
    assertThat(response.text()).isEqualTo("ok from p");
    assertThat(scheduler.pending()).as("the hedge timer was cancelled").isEmpty();
    assertThat(provider.calls).hasValue(1);
  }

  @Test
  void aFirstAttemptThatFailsBeforeTheHedgeFailsTheCallWithoutHedging() {
    ProviderUnavailableException down = new ProviderUnavailableException("503");
    provider.then(fail(down));
    assertThatThrownBy(() -> gateway(hedging().defaultPolicy(HedgePolicy.fixed(DELAY)).build()).chat(ask()))
        .isSameAs(down);
    scheduler.fireAll();
    assertThat(provider.calls).hasValue(1);
  }

  @Test
  void whenBothFailTheFirstAttemptsErrorIsThrownWithTheHedgesAttached() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    ProviderUnavailableException firstError = new ProviderUnavailableException("first");
    ProviderUnavailableException hedgeError = new ProviderUnavailableException("hedge");
    provider.then((request, context) -> {
      firstStarted.countDown();
      try {
        releaseFirst.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw firstError;
    }, (request, context) -> {
      releaseFirst.countDown();
      throw hedgeError;
    });
    gateway(hedging().group("p/model", HedgePolicy.fixed(DELAY)).build());

    CompletableFuture<ChatResponse> call = gateway.chatAsync(ask());
    await(firstStarted);
    scheduler.pendingWithDelay(DELAY).fire();

    assertThatThrownBy(call::join).cause().isSameAs(firstError)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(hedgeError));
  }

  @Test
  void streamsAreHedgedUpToTheirFirstAnswerChunk() throws Exception {
    CountDownLatch firstStalled = new CountDownLatch(1);
    provider.then(hangAfter(List.of(new ChatChunk.Start("slow", "model", "p", null)), firstStalled),
        answer("streamed by the hedge"));
    gateway(hedging().group("p/model", HedgePolicy.fixed(DELAY)).build());

    CompletableFuture<List<ChatChunk>> chunks =
        CompletableFuture.supplyAsync(() -> StepProvider.drain(gateway.stream(ask())));
    await(firstStalled);
    scheduler.pendingWithDelay(DELAY).fire();

    assertThat(chunks.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(answerChunks("streamed by the hedge"));
    assertThat(provider.contexts.get(0).isCancelled()).isTrue();
  }

  @Test
  void cancellingTheCallCancelsEveryAttempt() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch hedgeStarted = new CountDownLatch(1);
    provider.then(hangUntilCancelled(firstStarted), hangUntilCancelled(hedgeStarted));
    gateway(hedging().group("p/model", HedgePolicy.fixed(DELAY)).build());

    CompletableFuture<ChatResponse> call = gateway.chatAsync(ask());
    await(firstStarted);
    scheduler.pendingWithDelay(DELAY).fire();
    await(hedgeStarted);
    call.cancel(true);

    Awaitility.await().untilAsserted(() -> assertThat(provider.contexts)
        .hasSize(2).allSatisfy(c -> assertThat(c.isCancelled()).isTrue()));
    assertThatThrownBy(call::join).isInstanceOf(CancellationException.class);
  }

  @Test
  void theAdaptiveDelayIsTheObservedPercentileOfTheGroupsLatencies() {
    AtomicLong nanos = new AtomicLong();
    HedgePolicy policy = HedgePolicy.builder().delay(DELAY).percentile(0.95).window(4).minSamples(3)
        .minDelay(Duration.ofMillis(150)).build();
    HedgingInterceptor hedging = hedging().group("p/model", policy).nanoTime(nanos::get).build();
    gateway(hedging);
    for (long millis : new long[] {100, 300, 200}) {
      assertThat(hedging.currentDelay("p/model")).isEqualTo(DELAY);
      provider.then((request, context) -> {
        nanos.addAndGet(Duration.ofMillis(millis).toNanos());
        return ChatStream.of(answerChunks("took " + millis));
      });
      gateway.chat(ask());
    }
    assertThat(hedging.currentDelay("p/model")).isEqualTo(Duration.ofMillis(300));

    for (int i = 0; i < 4; i++) {
      provider.then((request, context) -> {
        nanos.addAndGet(Duration.ofMillis(10).toNanos());
        return ChatStream.of(answerChunks("fast"));
      });
      gateway.chat(ask());
    }
    assertThat(hedging.currentDelay("p/model")).as("only the last 4 kept, floored at minDelay")
        .isEqualTo(Duration.ofMillis(150));
  }

  @Test
  void aHedgeThatStartsAfterTheCallWasCancelledIsNotSent() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    provider.then(hangUntilCancelled(firstStarted));
    gateway(hedging().group("p/model", HedgePolicy.fixed(DELAY)).build());
    CompletableFuture<ChatResponse> call = gateway.chatAsync(ask());
    await(firstStarted);
    ManualScheduler.Task timer = scheduler.pendingWithDelay(DELAY);
    call.cancel(true);
    Awaitility.await().untilAsserted(() -> assertThat(provider.contexts.get(0).isCancelled()).isTrue());
    timer.fire();
    assertThat(provider.calls).hasValue(1);
    assertThatThrownBy(call::join).isInstanceOf(CancellationException.class);
  }
}

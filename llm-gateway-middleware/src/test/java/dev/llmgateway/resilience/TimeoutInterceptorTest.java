package dev.llmgateway.resilience;

import static dev.llmgateway.resilience.StepProvider.answer;
import static dev.llmgateway.resilience.StepProvider.answerChunks;
import static dev.llmgateway.resilience.StepProvider.hangAfter;
import static dev.llmgateway.resilience.StepProvider.hangUntilCancelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.gateway.LlmGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

class TimeoutInterceptorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration TWO_S = Duration.ofSeconds(2);
  private static final Duration FIVE_S = Duration.ofSeconds(5);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final StepProvider provider = new StepProvider("p");
  private final ManualClock clock = new ManualClock(java.time.Instant.now());
  private LlmGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private LlmGateway gateway(dev.llmgateway.Interceptor timeouts, dev.llmgateway.Interceptor... inner) {
    var builder = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addInterceptor(timeouts);
    for (dev.llmgateway.Interceptor i : inner) {
      builder.addInterceptor(i);
    }
    gateway = builder.build();
    return gateway;
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("p/model").user("hello").build();
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    TimeoutInterceptor interceptor = TimeoutInterceptor.builder(scheduler).build();
    assertThat(interceptor.defaultPolicy()).isEqualTo(TimeoutInterceptor.DEFAULT_POLICY)
        .isEqualTo(TimeoutPolicy.NONE);
    assertThat(interceptor.groups()).isEmpty();
    assertThat(interceptor.clock()).isSameAs(TimeoutInterceptor.DEFAULT_CLOCK).isEqualTo(Clock.systemUTC());
    CallContext routed = CallContext.standalone(false);
    assertThat(TimeoutInterceptor.DEFAULT_GROUP_OF.apply(ask(), routed)).isNull();
    routed.put(dev.llmgateway.routing.RouterInterceptor.GROUP, "fast");
    assertThat(TimeoutInterceptor.DEFAULT_GROUP_OF.apply(ask(), routed)).isEqualTo("fast");
    assertThat(TimeoutPolicy.NONE.isEmpty()).isTrue();
    assertThat(interceptor.limits()).isEqualTo(TimeoutInterceptor.DEFAULT_LIMITS)
        .containsExactlyInAnyOrder(TimeoutPolicy.Limit.values());
  }

  @Test
  void anInterceptorEnforcesOnlyItsLimitsOfEachLevel() {
    TimeoutInterceptor perAttempt = TimeoutInterceptor.builder(scheduler)
        .defaultPolicy(new TimeoutPolicy(MINUTE, MINUTE, MINUTE))
        .group("p/model", TimeoutPolicy.NONE.withFirstToken(FIVE_S))
        .limits(java.util.EnumSet.of(TimeoutPolicy.Limit.FIRST_TOKEN, TimeoutPolicy.Limit.IDLE))
        .build();
    CallContext withOption = CallContext.create(CallOptions.DEFAULT.with(TimeoutPolicy.CALL_OPTION,
        TimeoutPolicy.NONE.withWholeCall(TWO_S).withIdle(TWO_S)), dev.llmgateway.ChatEventListener.NONE, true);

    assertThat(perAttempt.policyFor(ask(), withOption)).isEqualTo(new TimeoutPolicy(null, FIVE_S, TWO_S));
    assertThat(new TimeoutPolicy(MINUTE, FIVE_S, null).only(java.util.Set.of(TimeoutPolicy.Limit.WHOLE_CALL)))
        .isEqualTo(TimeoutPolicy.NONE.withWholeCall(MINUTE));
    assertThat(TimeoutPolicy.NONE.withIdle(TWO_S).sets(TimeoutPolicy.Limit.IDLE)).isTrue();
    assertThat(TimeoutPolicy.NONE.withIdle(TWO_S).sets(TimeoutPolicy.Limit.FIRST_TOKEN)).isFalse();
    assertThatThrownBy(() -> TimeoutInterceptor.builder(scheduler).limits(java.util.Set.of()))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("at least one");
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> TimeoutPolicy.NONE.withIdle(Duration.ZERO))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("idle");
    assertThatThrownBy(() -> new TimeoutPolicy(Duration.ofSeconds(-1), null, null))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("wholeCall");
  }

  @Test
  void theRequestsLimitsWinOverTheGroupsWhichWinOverTheDefault() {
    TimeoutInterceptor interceptor = TimeoutInterceptor.builder(scheduler)
        .defaultPolicy(new TimeoutPolicy(MINUTE, MINUTE, MINUTE))
        .group("p/model", TimeoutPolicy.NONE.withFirstToken(FIVE_S).withIdle(FIVE_S))
        .build();
    CallContext plain = CallContext.standalone(true);
    assertThat(interceptor.policyFor(ask(), plain)).isEqualTo(new TimeoutPolicy(MINUTE, FIVE_S, FIVE_S));

    CallContext withOption = CallContext.create(CallOptions.DEFAULT.with(TimeoutPolicy.CALL_OPTION,
        TimeoutPolicy.NONE.withIdle(TWO_S)), dev.llmgateway.ChatEventListener.NONE, true);
    assertThat(interceptor.policyFor(ask(), withOption)).isEqualTo(new TimeoutPolicy(MINUTE, FIVE_S, TWO_S));

    ChatRequest other = ChatRequest.builder().model("p/other").user("hi").build();
    assertThat(interceptor.policyFor(other, plain)).isEqualTo(new TimeoutPolicy(MINUTE, MINUTE, MINUTE));
  }

  @Test
  void insideTheRouterTheRoutersGroupIsLookedUpFirst() {
    TimeoutInterceptor interceptor = TimeoutInterceptor.builder(scheduler)
        .group("fast", TimeoutPolicy.NONE.withFirstToken(TWO_S))
        .group("p/model", TimeoutPolicy.NONE.withFirstToken(FIVE_S))
        .build();
    CallContext routed = CallContext.standalone(true);
    routed.put(dev.llmgateway.routing.RouterInterceptor.GROUP, "fast");
    assertThat(interceptor.policyFor(ask(), routed).firstToken()).isEqualTo(TWO_S);
    routed.put(dev.llmgateway.routing.RouterInterceptor.GROUP, "unconfigured");
    assertThat(interceptor.policyFor(ask(), routed).firstToken()).as("then the deployment's model")
        .isEqualTo(FIVE_S);
  }

  @Test
  void aCallWithNoLimitPassesThroughWithoutTimers() {
    ChatResponse response = gateway(TimeoutInterceptor.builder(scheduler).build()).chat(ask());
    assertThat(response.text()).isEqualTo("ok from p");
    assertThat(StepProvider.drain(gateway.stream(ask()))).isEqualTo(answerChunks("ok from p"));
    assertThat(scheduler.pending()).isEmpty();
  }

  @Test
  void theWholeCallTimerCancelsTheCallAndSaysSo() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    provider.then(hangUntilCancelled(started));
    gateway(TimeoutInterceptor.builder(scheduler).clock(clock)
        .defaultPolicy(TimeoutPolicy.NONE.withWholeCall(FIVE_S)).build());

    CompletableFuture<ChatResponse> call = gateway.chatAsync(ask());
    await(started);
    scheduler.pendingWithDelay(FIVE_S).fire();

    assertThatThrownBy(call::join).hasCauseInstanceOf(LlmTimeoutException.class)
        .cause().hasMessageContaining("whole-call timeout of PT5S")
        .satisfies(e -> assertThat(((LlmException) e).isRetryable()).isFalse());
    assertThat(provider.contexts.get(0).isFork()).isTrue();
    assertThat(provider.contexts.get(0).isCancelled()).isTrue();
  }

  @Test
  void theWholeCallLimitIsPublishedAsTheDeadlineAndTheTimerStopsAtTheEnd() {
    CallContext[] seen = new CallContext[1];
    gateway(TimeoutInterceptor.builder(scheduler).clock(clock)
            .defaultPolicy(TimeoutPolicy.NONE.withWholeCall(FIVE_S)).build(),
        (request, chain) -> {
          seen[0] = chain.context();
          return chain.proceed(request);
        });
    gateway.chat(ask());
    assertThat(seen[0].get(TimeoutInterceptor.DEADLINE)).isEqualTo(clock.instant().plus(FIVE_S));
    assertThat(scheduler.pending()).as("the timer was cancelled when the call ended").isEmpty();
  }

  @Test
  void theFirstTokenTimerAbortsAStreamThatDoesNotStart() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    provider.then(hangAfter(List.of(new ChatChunk.Start("id", "model", "p", null)), started));
    gateway(TimeoutInterceptor.builder(scheduler).group("p/model",
        TimeoutPolicy.NONE.withFirstToken(TWO_S).withIdle(FIVE_S)).build());

    ChatStream stream = gateway.stream(ask());
    assertThat(stream.next()).as("a start chunk is not a token").isInstanceOf(ChatChunk.Start.class);
    CompletableFuture<ChatChunk> next = CompletableFuture.supplyAsync(stream::next);
    await(started);
    scheduler.pendingWithDelay(TWO_S).fire();

    assertThatThrownBy(next::join).hasCauseInstanceOf(LlmTimeoutException.class)
        .cause().hasMessageContaining("first-token timeout of PT2S")
        .satisfies(e -> assertThat(((LlmException) e).isRetryable()).isTrue());
    assertThatThrownBy(stream::next).isInstanceOf(LlmTimeoutException.class);
    stream.close();
  }

  @Test
  void theIdleTimerRestartsWithEachChunkAndAbortsASilentStream() throws Exception {
    CountDownLatch silent = new CountDownLatch(1);
    provider.then(hangAfter(List.of(new ChatChunk.Start("id", "model", "p", null),
        new ChatChunk.TextDelta("one"), new ChatChunk.TextDelta("two")), silent));
    gateway(TimeoutInterceptor.builder(scheduler).defaultPolicy(
        TimeoutPolicy.NONE.withFirstToken(TWO_S).withIdle(FIVE_S)).build());

    ChatStream stream = gateway.stream(ask());
    stream.next();
    assertThat(scheduler.pendingWithDelay(TWO_S).pending()).isTrue();
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("one"));
    assertThat(scheduler.pending()).as("the first token stopped its timer; the idle one runs")
        .extracting(t -> t.delay).containsExactly(FIVE_S);
    ManualScheduler.Task afterOne = scheduler.pendingWithDelay(FIVE_S);
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("two"));
    assertThat(afterOne.isCancelled()).as("restarted by the next chunk").isTrue();

    CompletableFuture<ChatChunk> next = CompletableFuture.supplyAsync(stream::next);
    await(silent);
    scheduler.pendingWithDelay(FIVE_S).fire();
    assertThatThrownBy(next::join).hasCauseInstanceOf(LlmTimeoutException.class)
        .cause().hasMessageContaining("idle timeout of PT5S");
    stream.close();
  }

  @Test
  void aCompletedStreamStopsEveryTimer() {
    gateway(TimeoutInterceptor.builder(scheduler).defaultPolicy(
        new TimeoutPolicy(MINUTE, TWO_S, FIVE_S)).build());
    assertThat(StepProvider.drain(gateway.stream(ask()))).isEqualTo(answerChunks("ok from p"));
    assertThat(scheduler.pending()).isEmpty();
  }

  @Test
  void insideARetryAFirstTokenTimeoutIsRetriedOnAFreshAttempt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    provider.then(hangUntilCancelled(started), answer("second attempt"));
    RecordingSleeper sleeper = new RecordingSleeper(clock);
    gateway(RetryInterceptor.builder().sleeper(sleeper).clock(clock).build(),
        TimeoutInterceptor.builder(scheduler).defaultPolicy(TimeoutPolicy.NONE.withFirstToken(TWO_S))
            .build());

    CompletableFuture<List<ChatChunk>> chunks =
        CompletableFuture.supplyAsync(() -> StepProvider.drain(gateway.stream(ask())));
    await(started);
    scheduler.pendingWithDelay(TWO_S).fire();

    assertThat(chunks.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(answerChunks("second attempt"));
    assertThat(provider.calls).hasValue(2);
    assertThat(provider.contexts.get(0).isCancelled()).as("the timed-out attempt").isTrue();
    assertThat(provider.contexts.get(1).isCancelled()).isFalse();
    assertThat(sleeper.waits).hasSize(1);
  }

  @Test
  void theCallersOwnTimeoutStillApplies() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    provider.then(hangUntilCancelled(started));
    gateway(TimeoutInterceptor.builder(scheduler).defaultPolicy(TimeoutPolicy.NONE.withWholeCall(MINUTE))
        .build());
    CompletableFuture<ChatResponse> call = gateway.chatAsync(ask());
    await(started);
    call.cancel(true);
    assertThat(provider.contexts.get(0).isCancelled()).as("cancelling the call cancels the fork").isTrue();
  }
}

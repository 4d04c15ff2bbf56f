package dev.llmgateway.resilience;

import static dev.llmgateway.resilience.RetryPolicyTest.HIGHEST;
import static dev.llmgateway.resilience.RetryPolicyTest.rateLimited;
import static dev.llmgateway.resilience.StepProvider.answer;
import static dev.llmgateway.resilience.StepProvider.answerChunks;
import static dev.llmgateway.resilience.StepProvider.fail;
import static dev.llmgateway.resilience.StepProvider.failAfter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.gateway.LlmGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

class RetryInterceptorTest {
  private final ManualClock clock = new ManualClock(java.time.Instant.now());
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final StepProvider provider = new StepProvider("p");
  private final List<String> retries = new CopyOnWriteArrayList<>();
  private LlmGateway gateway;

  private final ChatEventListener listener = new ChatEventListener() {
    @Override
    public void onRetry(CallContext context, LlmException cause, int nextAttempt, Duration delay) {
      retries.add(cause.getClass().getSimpleName() + " -> attempt " + nextAttempt + " after " + delay);
    }
  };

  private LlmGateway gateway(RetryPolicy policy) {
    gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addListener(listener)
        .addInterceptor(RetryInterceptor.builder().policy(policy).sleeper(sleeper).clock(clock)
            .random(HIGHEST).build())
        .build();
    return gateway;
  }

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("p/model").user("hello").build();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    RetryInterceptor interceptor = RetryInterceptor.builder().build();
    assertThat(interceptor.policy()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(interceptor.sleeper()).isSameAs(RetryInterceptor.DEFAULT_SLEEPER).isSameAs(Sleeper.SYSTEM);
    assertThat(interceptor.clock()).isSameAs(RetryInterceptor.DEFAULT_CLOCK).isEqualTo(Clock.systemUTC());
    assertThat(interceptor.random()).isSameAs(RetryInterceptor.DEFAULT_RANDOM);
    assertThat(new RetryInterceptor(RetryPolicy.none()).policy()).isEqualTo(RetryPolicy.none());
    long value = RetryInterceptor.DEFAULT_RANDOM.nextLong(10);
    assertThat(value).isBetween(0L, 9L);
  }

  @Test
  void retriesAfterTheRetryAfterOfEachFailedAttempt() {
    provider.then(fail(rateLimited(Duration.ofSeconds(2))), fail(rateLimited(Duration.ofSeconds(5))),
        answer("finally"));

    assertThat(gateway(RetryPolicy.DEFAULT).chat(ask()).text()).isEqualTo("finally");

    assertThat(provider.calls).hasValue(3);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(5));
    assertThat(retries).containsExactly("RateLimitedException -> attempt 2 after PT2S",
        "RateLimitedException -> attempt 3 after PT5S");
  }

  @Test
  void capsARetryAfterAtMaxRetryAfter() {
    provider.then(fail(rateLimited(Duration.ofMinutes(10))));
    gateway(RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(30)).build()).chat(ask());
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void backsOffExponentiallyWithJitterWhenNoRetryAfterIsGiven() {
    provider.then(fail(new RateLimitedException("429")), fail(new RateLimitedException("429")),
        fail(new RateLimitedException("429")));
    gateway(RetryPolicy.DEFAULT).chat(ask());
    // HIGHEST makes the jitter pick the top of each range: 0.5 s, 1 s, 2 s.
    assertThat(sleeper.waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2));
    assertThat(provider.calls).hasValue(4);
  }

  @Test
  void neverRetriesAnErrorThatIsNotRetryable() {
    provider.then(fail(new InvalidRequestException("bad request")));
    assertThatThrownBy(() -> gateway(RetryPolicy.DEFAULT).chat(ask()))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(provider.calls).hasValue(1);
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void stopsWhenTheErrorClassHasUsedItsRetriesAndAttachesTheEarlierFailures() {
    ProviderUnavailableException first = new ProviderUnavailableException("500");
    ProviderUnavailableException second = new ProviderUnavailableException("502");
    ProviderUnavailableException third = new ProviderUnavailableException("503");
    provider.then(fail(first), fail(second), fail(third), answer("never reached"));

    assertThatThrownBy(() -> gateway(RetryPolicy.DEFAULT).chat(ask())).isSameAs(third)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(first, second));
    assertThat(provider.calls).as("ProviderUnavailable: 2 retries").hasValue(3);
  }

  @Test
  void countsRetriesPerErrorClass() {
    provider.then(fail(new MalformedResponseException("bad json")), fail(new LlmTimeoutException("slow")),
        fail(new MalformedResponseException("bad json again")));
    assertThatThrownBy(() -> gateway(RetryPolicy.DEFAULT).chat(ask()))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("again");
    assertThat(provider.calls).as("one retry each for malformed and timeout").hasValue(3);
  }

  @Test
  void stopsAtMaxAttempts() {
    provider.then(fail(new RateLimitedException("1")), fail(new RateLimitedException("2")),
        fail(new RateLimitedException("3")));
    assertThatThrownBy(() -> gateway(RetryPolicy.builder().maxAttempts(2).build()).chat(ask()))
        .hasMessageContaining("2");
    assertThat(provider.calls).hasValue(2);
  }

  @Test
  void stopsWhenTheNextWaitWouldPassTheCallersTimeout() {
    RateLimitedException limited = rateLimited(Duration.ofSeconds(30));
    provider.then(fail(limited));
    assertThatThrownBy(() -> gateway(RetryPolicy.DEFAULT)
        .chat(ask(), CallOptions.withTimeout(Duration.ofSeconds(20)))).isSameAs(limited);
    assertThat(provider.calls).hasValue(1);
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void stopsWhenTheNextWaitWouldPassATimeoutPolicyDeadline() {
    RateLimitedException limited = rateLimited(Duration.ofSeconds(30));
    provider.then(fail(limited));
    CallContext context = CallContext.standalone(false);
    context.put(TimeoutInterceptor.DEADLINE, clock.instant().plus(Duration.ofSeconds(10)));
    RetryInterceptor retry = RetryInterceptor.builder().sleeper(sleeper).clock(clock).build();
    assertThatThrownBy(() -> retry.intercept(ask(), new Interceptor.Chain() {
      @Override
      public ChatResponse proceed(ChatRequest request) {
        return provider.chat(request, context);
      }

      @Override
      public CallContext context() {
        return context;
      }
    })).isSameAs(limited);
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void stopsWhenTheNextAttemptWouldStartAfterTheTotalTime() {
    // Each attempt takes 55 s of test time, plus 10 s of waiting: the third would start at 130 s.
    StepProvider.Step slowFailure = (request, context) -> {
      clock.advance(Duration.ofSeconds(55));
      throw new RateLimitedException("429", ErrorContext.EMPTY.withRetryAfter(Duration.ofSeconds(10)), null);
    };
    provider.then(slowFailure, slowFailure, slowFailure, slowFailure);
    assertThatThrownBy(() -> gateway(RetryPolicy.DEFAULT).chat(ask()))
        .isInstanceOf(RateLimitedException.class);
    assertThat(provider.calls).hasValue(2);
  }

  @Test
  void cancellingTheCallWhileWaitingStopsRetrying() throws Exception {
    provider.then(fail(rateLimited(Duration.ofMinutes(1))));
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicReference<CallContext> seen = new AtomicReference<>();
    Sleeper blocking = (duration, context) -> {
      seen.set(context);
      waiting.countDown();
      Sleeper.SYSTEM.sleep(duration, context);
    };
    gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addInterceptor(RetryInterceptor.builder().sleeper(blocking).clock(clock).build()).build();
    var future = gateway.chatAsync(ask());
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    future.cancel(true);
    assertThat(seen.get().isCancelled()).isTrue();
    Awaitility.await().untilAsserted(() -> assertThat(future).isDone());
    assertThat(provider.calls).hasValue(1);
  }

  @Test
  void theSystemSleeperWakesUpWhenTheCallIsCancelled() throws Exception {
    CallContext context = CallContext.standalone(false);
    CountDownLatch done = new CountDownLatch(1);
    Thread sleeping = new Thread(() -> {
      try {
        Sleeper.SYSTEM.sleep(Duration.ofMinutes(5), context);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.countDown();
    });
    sleeping.start();
    context.cancel();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void retriesAStreamThatFailsBeforeItsFirstAnswerChunk() {
    provider.then(
        fail(new ProviderUnavailableException("503 before the stream")),
        failAfter(List.of(new ChatChunk.Start("a", "model", "p", "req-a")),
            new StreamInterruptedException("cut after the role chunk")),
        answer("whole answer"));

    List<ChatChunk> chunks = StepProvider.drain(gateway(RetryPolicy.DEFAULT).stream(ask()));

    assertThat(chunks).isEqualTo(answerChunks("whole answer"));
    assertThat(provider.calls).hasValue(3);
    assertThat(retries).hasSize(2);
  }

  @Test
  void anErrorAfterTheFirstAnswerChunkReachesTheCaller() {
    StreamInterruptedException cut = new StreamInterruptedException("cut mid-answer");
    provider.then(failAfter(List.of(new ChatChunk.Start("a", "model", "p", null),
        new ChatChunk.TextDelta("Hel")), cut));

    ChatStream stream = gateway(RetryPolicy.DEFAULT).stream(ask());
    assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hel"));
    assertThatThrownBy(stream::next).isSameAs(cut);
    stream.close();
    assertThat(provider.calls).as("never spliced from a second attempt").hasValue(1);
    assertThat(retries).isEmpty();
  }

  @Test
  void aStreamThatFailsToRetryThrowsTheLastError() {
    provider.then(fail(new LlmTimeoutException("slow 1")), fail(new LlmTimeoutException("slow 2")));
    assertThatThrownBy(() -> gateway(RetryPolicy.DEFAULT).stream(ask()))
        .isInstanceOf(LlmTimeoutException.class).hasMessageContaining("slow 2");
    assertThat(provider.calls).hasValue(2);
  }
}

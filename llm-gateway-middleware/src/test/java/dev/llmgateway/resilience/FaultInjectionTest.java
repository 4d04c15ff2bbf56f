package dev.llmgateway.resilience;

import static dev.llmgateway.resilience.RetryPolicyTest.HIGHEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.routing.AttemptLog;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.FirstAvailableStrategy;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/**
 * The acceptance suite of issue 5's resilience half: faults injected with {@link FakeLlmServer}, through
 * the real OpenAI adapter, two servers as two deployments of one group ("a" preferred, "b" its
 * failover), with the router, per-deployment circuit breakers and the retry interceptor. Each test
 * asserts the retries, the fallback, the cooldown, the final outcome and the requests each server saw.
 * Waits go through a recording sleeper on a test clock; timers through a manual scheduler.
 */
class FaultInjectionTest {
  private static final String ECHO = FakeReply.DEFAULT_ECHO_PREFIX + "hello";
  private static final Duration FIRST_TOKEN = Duration.ofSeconds(2);
  private static final Duration WHOLE_CALL = Duration.ofSeconds(20);
  private static final Duration OPEN_WAIT = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(java.time.Instant.now());
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<String> retries = new CopyOnWriteArrayList<>();
  private final List<String> fallbacks = new CopyOnWriteArrayList<>();
  private final AtomicReference<CallContext> lastCall = new AtomicReference<>();
  private final CircuitBreakerHealth health = CircuitBreakerHealth.create(CircuitBreakerPolicy.builder()
      .minimumCalls(2).slidingWindowSize(2).failureRateThreshold(50).waitInOpenState(OPEN_WAIT).build());

  private FakeLlmServer a;
  private FakeLlmServer b;
  private LlmGateway gateway;

  @BeforeEach
  void start() {
    a = FakeLlmServer.start();
    b = FakeLlmServer.start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    a.close();
    b.close();
  }

  private final ChatEventListener listener = new ChatEventListener() {
    @Override
    public void onCallStart(CallContext context, ChatRequest request) {
      lastCall.set(context);
    }

    @Override
    public void onRetry(CallContext context, LlmException cause, int nextAttempt, Duration delay) {
      retries.add(cause.getClass().getSimpleName() + " " + delay);
    }

    @Override
    public void onFallback(CallContext context, String fromGroup, String toGroup, LlmException cause) {
      fallbacks.add(fromGroup + " -> " + toGroup);
    }
  };

  private static OpenAiChatProvider provider(String name, FakeLlmServer server) {
    return OpenAiChatProvider.builder().providerName(name).baseUrl(server.baseUrl())
        .apiKey(Secret.of("sk-test-" + name)).build();
  }

  /**
   * Outer interceptors, then the router over deployments a and b of group "chat", then the retry
   * interceptor, then inner interceptors, then the provider.
   */
  private LlmGateway gateway(List<Interceptor> outer, List<Interceptor> inner) {
    RouterInterceptor router = RouterInterceptor.builder()
        .group(ModelGroup.builder("chat")
            .deployment(Deployment.of("a", "a/gpt-4o-mini"))
            .deployment(Deployment.of("b", "b/gpt-4o-mini"))
            .strategy(FirstAvailableStrategy.INSTANCE).build())
        .health(health).clock(clock).build();
    var builder = LlmGateway.builder().discoverProviders(false).logging(false)
        .provider(provider("a", a)).provider(provider("b", b)).addListener(listener);
    outer.forEach(builder::addInterceptor);
    builder.addInterceptor(router).addInterceptor(RetryInterceptor.builder().sleeper(sleeper).clock(clock)
        .random(HIGHEST).build());
    inner.forEach(builder::addInterceptor);
    gateway = builder.build();
    return gateway;
  }

  private LlmGateway gateway() {
    return gateway(List.of(), List.of());
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("chat").user("hello").build();
  }

  /** The router's record of the last call: "deployment outcome[ error]" per attempt. */
  private List<String> attempts() {
    AttemptLog log = lastCall.get().get(RouterInterceptor.ATTEMPTS);
    List<String> lines = new ArrayList<>();
    for (Attempt attempt : log.attempts()) {
      lines.add(attempt.deploymentId() + " " + attempt.outcome()
          + (attempt.errorType() == null ? "" : " " + simpleName(attempt.errorType())));
    }
    return lines;
  }

  /** The failures the breaker of {@code deployment} counted against it. */
  private int counted(String deployment) {
    return health.circuitBreaker(deployment).getMetrics().getNumberOfFailedCalls();
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  @Test
  void a500IsRetriedOnTheSameDeployment() {
    a.enqueue(FakeReply.serverError(500));

    ChatResponse response = gateway().chat(ask());

    assertThat(response.text()).isEqualTo(ECHO);
    assertThat(a.requestCount()).isEqualTo(2);
    assertThat(b.requestCount()).isZero();
    assertThat(retries).containsExactly("ProviderUnavailableException PT0.5S");
    assertThat(attempts()).containsExactly("a SUCCEEDED");
    assertThat(health.state("a", clock.instant())).isEqualTo(State.CLOSED);
    assertThat(counted("a")).as("the retry hid the failure from the breaker").isZero();
  }

  @Test
  void repeated502sUseUpTheRetriesThenFallOverToTheNextDeployment() {
    a.enqueue(FakeReply.serverError(502), FakeReply.serverError(502), FakeReply.serverError(502));

    ChatResponse response = gateway().chat(ask());

    assertThat(response.text()).isEqualTo(ECHO);
    assertThat(response.provider()).isEqualTo("b");
    assertThat(a.requestCount()).as("1 attempt + 2 retries").isEqualTo(3);
    assertThat(b.requestCount()).isEqualTo(1);
    assertThat(retries).containsExactly("ProviderUnavailableException PT0.5S",
        "ProviderUnavailableException PT1S");
    assertThat(attempts()).containsExactly("a FAILED ProviderUnavailableException", "b SUCCEEDED");
    assertThat(fallbacks).as("another deployment of the same group, not another group").isEmpty();
    assertThat(counted("a")).isEqualTo(1);
    assertThat(health.state("a", clock.instant())).as("below the minimum calls").isEqualTo(State.CLOSED);
  }

  @Test
  void a503DeploymentIsCooledDownByItsBreakerAndProbedBackIn() {
    for (int i = 0; i < 6; i++) {
      a.enqueue(FakeReply.serverError(503));
    }
    gateway();

    gateway.chat(ask());
    gateway.chat(ask());
    assertThat(a.requestCount()).as("two calls, three attempts each").isEqualTo(6);
    assertThat(health.state("a", clock.instant())).isEqualTo(State.OPEN);

    ChatResponse whileOpen = gateway.chat(ask());
    assertThat(whileOpen.provider()).isEqualTo("b");
    assertThat(a.requestCount()).as("a is out of rotation").isEqualTo(6);
    assertThat(attempts()).containsExactly("b SUCCEEDED");

    clock.advance(OPEN_WAIT);
    ChatResponse probe = gateway.chat(ask());
    assertThat(probe.provider()).as("probed back in").isEqualTo("a");
    assertThat(a.requestCount()).isEqualTo(7);
    assertThat(health.state("a", clock.instant())).isEqualTo(State.CLOSED);
    assertThat(b.requestCount()).isEqualTo(3);
  }

  @Test
  void a529OverloadIsRetried() {
    a.enqueue(FakeReply.error(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}"));

    assertThat(gateway().chat(ask()).text()).isEqualTo(ECHO);

    assertThat(a.requestCount()).isEqualTo(2);
    assertThat(b.requestCount()).isZero();
    assertThat(retries).containsExactly("ProviderUnavailableException PT0.5S");
    assertThat(counted("a")).isZero();
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() {
    a.enqueue(FakeReply.rateLimited(Duration.ofSeconds(7)));

    assertThat(gateway().chat(ask()).text()).isEqualTo(ECHO);

    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
    assertThat(a.requestCount()).isEqualTo(2);
    assertThat(b.requestCount()).isZero();
    assertThat(health.isAvailable("a", clock.instant())).as("no cooldown: the retry succeeded").isTrue();
  }

  @Test
  void aDeploymentStillRateLimitedAfterItsRetriesCoolsDownForItsRetryAfter() {
    for (int i = 0; i < 4; i++) {
      a.enqueue(FakeReply.rateLimited(Duration.ofSeconds(40)));
    }
    gateway();

    ChatResponse response = gateway.chat(ask());

    assertThat(response.provider()).isEqualTo("b");
    assertThat(a.requestCount()).as("1 attempt + 3 retries").isEqualTo(4);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(40), Duration.ofSeconds(40),
        Duration.ofSeconds(40));
    assertThat(attempts()).containsExactly("a FAILED RateLimitedException", "b SUCCEEDED");
    assertThat(health.retryAfter("a", clock.instant())).isEqualTo(Duration.ofSeconds(40));

    assertThat(gateway.chat(ask()).provider()).as("cooling down").isEqualTo("b");
    clock.advance(Duration.ofSeconds(40));
    assertThat(gateway.chat(ask()).provider()).as("back after its retry-after").isEqualTo("a");
    assertThat(a.requestCount()).isEqualTo(5);
  }

  @Test
  void aConnectionResetIsRetried() {
    a.enqueue(FakeReply.connectionReset());

    assertThat(gateway().chat(ask()).text()).isEqualTo(ECHO);

    assertThat(a.requestCount()).isEqualTo(2);
    assertThat(b.requestCount()).isZero();
    assertThat(retries).containsExactly("ProviderUnavailableException PT0.5S");
    assertThat(attempts()).containsExactly("a SUCCEEDED");
    assertThat(counted("a")).isZero();
  }

  @Test
  void malformedJsonIsRetriedOnceThenFallsOver() {
    a.enqueue(FakeReply.malformedJson(), FakeReply.malformedJson());

    ChatResponse response = gateway().chat(ask());

    assertThat(response.provider()).isEqualTo("b");
    assertThat(a.requestCount()).as("MalformedResponse: one retry").isEqualTo(2);
    assertThat(b.requestCount()).isEqualTo(1);
    assertThat(attempts()).containsExactly("a FAILED MalformedResponseException", "b SUCCEEDED");
    assertThat(retries).containsExactly("MalformedResponseException PT0.5S");
    assertThat(counted("a")).isEqualTo(1);
  }

  @Test
  void aMalformedStreamEventBeforeTheAnswerIsRetriedTransparently() {
    a.enqueue(FakeReply.malformedJson());

    ChatResponse response = gateway().stream(ask()).collect();

    assertThat(response.text()).isEqualTo(ECHO);
    assertThat(a.requestCount()).isEqualTo(2);
    assertThat(b.requestCount()).isZero();
    assertThat(retries).containsExactly("MalformedResponseException PT0.5S");
    assertThat(counted("a")).isZero();
  }

  @Test
  void anInvalidRequestIsNeitherRetriedNorFallenOver() {
    a.enqueue(FakeReply.invalidRequest("'messages' must not be empty"));

    assertThatThrownBy(() -> gateway().chat(ask())).isInstanceOf(InvalidRequestException.class);

    assertThat(a.requestCount()).isEqualTo(1);
    assertThat(b.requestCount()).isZero();
    assertThat(health.state("a", clock.instant())).as("the request's fault").isEqualTo(State.CLOSED);
    assertThat(health.circuitBreaker("a").getMetrics().getNumberOfFailedCalls()).isZero();
  }

  @Test
  void whenEveryDeploymentFailsTheCallerGetsEveryAttempt() {
    for (int i = 0; i < 3; i++) {
      a.enqueue(FakeReply.serverError(503));
      b.enqueue(FakeReply.serverError(500));
    }

    assertThatThrownBy(() -> gateway().chat(ask())).isInstanceOf(NoDeploymentAvailableException.class)
        .satisfies(e -> {
          NoDeploymentAvailableException failed = (NoDeploymentAvailableException) e;
          assertThat(failed.attempts()).hasSize(2).allMatch(c -> c instanceof ProviderUnavailableException);
          assertThat(failed.attemptLog()).extracting(Attempt::deploymentId).containsExactly("a", "b");
          assertThat(failed.isRetryable()).isTrue();
        });
    assertThat(a.requestCount()).isEqualTo(3);
    assertThat(b.requestCount()).isEqualTo(3);
    assertThat(retries).hasSize(4);
    assertThat(counted("a")).isEqualTo(1);
    assertThat(counted("b")).isEqualTo(1);
  }

  @Test
  void aStreamCutBeforeItsFirstAnswerChunkIsRetriedTransparently() {
    a.enqueue(FakeReply.disconnectAfterChunks(1)); // only the role chunk, then the connection drops

    List<ChatChunk> chunks = StepProvider.drain(gateway().stream(ask()));

    dev.llmgateway.ChatResponseAccumulator answer = new dev.llmgateway.ChatResponseAccumulator();
    chunks.forEach(answer::accept);
    assertThat(answer.build().text()).isEqualTo(ECHO);
    assertThat(chunks.stream().filter(c -> c instanceof ChatChunk.Start).count())
        .as("only the successful attempt's start reaches the caller").isEqualTo(1);
    assertThat(a.requestCount()).isEqualTo(2);
    assertThat(b.requestCount()).isZero();
    assertThat(retries).containsExactly("StreamInterruptedException PT0.5S");
    assertThat(counted("a")).isZero();
  }

  @Test
  void aStreamCutMidAnswerFailsWithoutRetryOrSplice() {
    a.enqueue(FakeReply.disconnectAfterChunks(3)); // the role chunk and two words

    ChatStream stream = gateway().stream(ask());
    StringBuilder received = new StringBuilder();
    assertThatThrownBy(() -> {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        if (c instanceof ChatChunk.TextDelta t) {
          received.append(t.text());
        }
      }
    }).isInstanceOf(StreamInterruptedException.class);
    stream.close();

    assertThat(received.toString()).isNotEmpty().isNotEqualTo(ECHO);
    assertThat(a.requestCount()).isEqualTo(1);
    assertThat(b.requestCount()).isZero();
    assertThat(retries).isEmpty();
    assertThat(fallbacks).isEmpty();
    assertThat(attempts()).containsExactly("a FAILED StreamInterruptedException");
    assertThat(counted("a")).as("a broken stream is the deployment's fault").isEqualTo(1);
  }

  @Test
  void aSlowFirstByteBeyondTheFirstTokenTimeoutIsAbortedAndRetried() throws Exception {
    a.enqueue(FakeReply.slowFirstByte(Duration.ofMinutes(5)));
    gateway(List.of(), List.of(TimeoutInterceptor.builder(scheduler)
        .defaultPolicy(TimeoutPolicy.NONE.withFirstToken(FIRST_TOKEN)).build()));

    CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> gateway.stream(ask()).collect());
    a.takeRequest();
    scheduler.pendingWithDelay(FIRST_TOKEN).fire();

    assertThat(call.get(10, TimeUnit.SECONDS).text()).isEqualTo(ECHO);
    assertThat(a.requestCount()).isEqualTo(2);
    assertThat(b.requestCount()).isZero();
    assertThat(retries).containsExactly("LlmTimeoutException PT0.5S");
    assertThat(attempts()).containsExactly("a SUCCEEDED");
  }

  @Test
  void aDeploymentThatKeepsMissingTheFirstTokenFallsOver() throws Exception {
    a.enqueue(FakeReply.slowFirstByte(Duration.ofMinutes(5)), FakeReply.slowFirstByte(Duration.ofMinutes(5)));
    gateway(List.of(), List.of(TimeoutInterceptor.builder(scheduler)
        .defaultPolicy(TimeoutPolicy.NONE.withFirstToken(FIRST_TOKEN)).build()));

    CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> gateway.stream(ask()).collect());
    a.takeRequest();
    scheduler.pendingWithDelay(FIRST_TOKEN).fire();
    a.takeRequest();
    scheduler.pendingWithDelay(FIRST_TOKEN).fire();

    ChatResponse response = call.get(10, TimeUnit.SECONDS);
    assertThat(response.provider()).isEqualTo("b");
    assertThat(a.requestCount()).as("LlmTimeout: one retry").isEqualTo(2);
    assertThat(b.requestCount()).isEqualTo(1);
    assertThat(attempts()).containsExactly("a FAILED LlmTimeoutException", "b SUCCEEDED");
    assertThat(counted("a")).isEqualTo(1);
  }

  @Test
  void aSlowFirstByteBeyondTheWholeCallTimeoutEndsTheCall() throws Exception {
    a.enqueue(FakeReply.slowFirstByte(Duration.ofMinutes(5)));
    gateway(List.of(TimeoutInterceptor.builder(scheduler).clock(clock)
        .defaultPolicy(TimeoutPolicy.NONE.withWholeCall(WHOLE_CALL)).build()), List.of());

    CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> gateway.chat(ask()));
    a.takeRequest();
    scheduler.pendingWithDelay(WHOLE_CALL).fire();

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(LlmTimeoutException.class)
        .hasMessageContaining("whole-call timeout of PT20S");
    assertThat(a.requestCount()).isEqualTo(1);
    assertThat(b.requestCount()).as("no fallback past the caller's deadline").isZero();
    assertThat(retries).isEmpty();
    assertThat(health.circuitBreaker("a").getMetrics().getNumberOfFailedCalls())
        .as("the caller's deadline is not the deployment's fault").isZero();
  }
}

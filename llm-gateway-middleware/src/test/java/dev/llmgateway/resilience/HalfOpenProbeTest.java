package dev.llmgateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Message;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.FirstAvailableStrategy;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.spi.ChatProvider;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/**
 * A half-open breaker lets only its permitted probes through when calls arrive together: the router
 * takes the permission for the deployment it chose ({@code DeploymentHealth.tryAcquire}) under its lock,
 * so the other calls go to the next deployment instead of piling onto one that is still on trial.
 */
class HalfOpenProbeTest {
  private static final int PROBES = 2;
  private static final int CALLS = 8;
  private static final Duration OPEN_WAIT = Duration.ofSeconds(30);

  /** Deployment "a": fails while {@code failing}, else blocks each call until {@code release}. */
  private static final class Gate implements ChatProvider {
    final AtomicBoolean failing = new AtomicBoolean(true);
    final AtomicInteger arrived = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String name() {
      return "a";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      if (failing.get()) {
        throw new ProviderUnavailableException("HTTP 503 from the test");
      }
      arrived.incrementAndGet();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return answer(request, "a");
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      throw new UnsupportedOperationException("blocking calls only");
    }
  }

  /** Deployment "b": answers at once, counting the calls. */
  private static final class Counter implements ChatProvider {
    final AtomicInteger served = new AtomicInteger();

    @Override
    public String name() {
      return "b";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      served.incrementAndGet();
      return answer(request, "b");
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      throw new UnsupportedOperationException("blocking calls only");
    }
  }

  private static ChatResponse answer(ChatRequest request, String provider) {
    return ChatResponse.builder().model(request.model()).provider(provider)
        .message(Message.assistant("from " + provider)).build();
  }

  @Test
  void onlyThePermittedProbesReachAHalfOpenDeploymentWhenCallsArriveTogether() throws Exception {
    ManualClock clock = new ManualClock(java.time.Instant.now());
    Gate a = new Gate();
    Counter b = new Counter();
    ChatRequest ask = ChatRequest.builder().model("chat").user("hi").build();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false)
        .provider(a).provider(b)
        .modelGroup(ModelGroup.builder("chat")
            .deployment(Deployment.of("a", "a/m"))
            .deployment(Deployment.of("b", "b/m"))
            .strategy(FirstAvailableStrategy.INSTANCE)
            .build())
        .circuitBreakers(CircuitBreakerPolicy.builder().minimumCalls(2).slidingWindowSize(2)
            .waitInOpenState(OPEN_WAIT).permittedCallsInHalfOpen(PROBES).build())
        .routing(router -> router.clock(clock))
        .build()) {
      CircuitBreakerHealth health = (CircuitBreakerHealth) gateway.router().health();
      gateway.chat(ask);
      gateway.chat(ask);
      assertThat(health.state("a", clock.instant())).isEqualTo(State.OPEN);
      assertThat(b.served).hasValue(2);

      a.failing.set(false);
      clock.advance(OPEN_WAIT.plusSeconds(1));
      Instant now = clock.instant();
      assertThat(health.state("a", now)).isEqualTo(State.HALF_OPEN);

      List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        calls.add(gateway.chatAsync(ask));
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> a.arrived.get() + (b.served.get() - 2) == CALLS);

      assertThat(a.arrived).as("probes of the half-open deployment").hasValue(PROBES);
      assertThat(b.served.get() - 2).as("the others went to the next deployment").isEqualTo(CALLS - PROBES);

      a.release.countDown();
      for (CompletableFuture<ChatResponse> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS).text()).startsWith("from ");
      }
      assertThat(health.state("a", clock.instant())).as("both probes succeeded").isEqualTo(State.CLOSED);
    }
  }

  @Test
  void aPermissionComesBackWhenTheAttemptEndsWithoutAnOutcome() {
    CircuitBreakerHealth health = CircuitBreakerHealth.create(CircuitBreakerPolicy.builder()
        .minimumCalls(1).slidingWindowSize(1).waitInOpenState(OPEN_WAIT).permittedCallsInHalfOpen(1)
        .build());
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    health.recordFailure("a", new ProviderUnavailableException("503"), t0);
    Instant later = t0.plus(OPEN_WAIT).plusSeconds(1);

    assertThat(health.tryAcquire("a", later)).as("the one probe").isTrue();
    assertThat(health.tryAcquire("a", later)).as("no second probe").isFalse();
    assertThat(health.isAvailable("a", later)).isFalse();

    health.release("a");
    assertThat(health.isAvailable("a", later)).isTrue();
    assertThat(health.tryAcquire("a", later)).isTrue();

    health.recordFailure("a", new dev.llmgateway.error.CallCancelledException("gave up"), later);
    assertThat(health.tryAcquire("a", later)).as("an ignored failure gives the permission back").isTrue();
  }

  @Test
  void aClosedBreakerAdmitsEveryCallAndAnOpenOneNone() {
    CircuitBreakerHealth health = CircuitBreakerHealth.create(CircuitBreakerPolicy.builder()
        .minimumCalls(1).slidingWindowSize(1).waitInOpenState(OPEN_WAIT).build());
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      assertThat(health.tryAcquire("a", t0)).isTrue();
    }
    health.recordFailure("a", new ProviderUnavailableException("503"), t0);
    assertThat(health.tryAcquire("a", t0.plusSeconds(1))).isFalse();
  }
}

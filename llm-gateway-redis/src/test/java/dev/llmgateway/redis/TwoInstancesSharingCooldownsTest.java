package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.FirstAvailableStrategy;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateway instances in one JVM, each with its own providers, router and {@link RedisCooldownHealth}
 * on its own Redis connection, route one model group of two deployments: a 429 that instance A gets from
 * the first deployment sends instance B straight to the second, without trying the first.
 */
class TwoInstancesSharingCooldownsTest {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  /** Answers "from NAME" unless told to fail; counts its calls. Blocking calls only. */
  static final class FakeProvider implements ChatProvider {
    final String name;
    final AtomicInteger calls = new AtomicInteger();
    volatile @Nullable Function<String, LlmException> failure;

    FakeProvider(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      calls.incrementAndGet();
      Function<String, LlmException> f = failure;
      if (f != null) {
        throw f.apply(request.model());
      }
      return ChatResponse.builder().id("r-" + name).model(request.model()).provider(name)
          .message(Message.assistant("from " + name)).finishReason(FinishReason.STOP).rawFinishReason("stop")
          .usage(Usage.of(10, 5)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      throw new UnsupportedOperationException("blocking calls only in this test");
    }
  }

  /** One application instance: its own providers {@code east} and {@code west}, health and gateway. */
  record Instance(LlmGateway gateway, FakeProvider east, FakeProvider west, RedisCooldownHealth health) {}

  private static Instance instance(Clock clock) {
    FakeProvider east = new FakeProvider("east");
    FakeProvider west = new FakeProvider("west");
    RedisCooldownHealth health = RedisCooldownHealth.create(REDIS.connect());
    LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false)
        .provider(east).provider(west).modelCatalog(ModelCatalog.empty())
        .modelGroup(ModelGroup.builder("chat")
            .deployment(Deployment.of("east", "east/m"))
            .deployment(Deployment.of("west", "west/m"))
            .strategy(FirstAvailableStrategy.INSTANCE) // east first, west while east is out
            .build())
        .routing(router -> router.health(health).clock(clock))
        .build();
    return new Instance(gateway, east, west, health);
  }

  private static List<String> attempts(ChatResponse response) {
    return response.attempts().stream().map(a -> a.deploymentId() + ":" + a.outcome()).toList();
  }

  @Test
  void aRateLimitOnOneInstanceSendsTheOtherStraightToTheOtherDeployment() {
    ManualClock clock = new ManualClock(); // both routers read it; the test moves it, no one sleeps
    Instance a = instance(clock);
    Instance b = instance(clock);
    try {
      ChatRequest request = ChatRequest.builder().model("chat").user("hello").build();
      assertThat(b.gateway().chat(request).text()).as("east answers while it is well").isEqualTo("from east");

      a.east().failure = model -> new RateLimitedException("429", ErrorContext.of("east", model)
          .withHttpStatus(429).withRetryAfter(Duration.ofSeconds(60)), null);
      ChatResponse onA = a.gateway().chat(request);
      assertThat(onA.text()).isEqualTo("from west");
      assertThat(attempts(onA)).containsExactly("east:FAILED", "west:SUCCEEDED");

      clock.advance(RedisCooldownHealth.DEFAULT_REFRESH_INTERVAL); // B's snapshot is due
      ChatResponse onB = b.gateway().chat(request);
      assertThat(onB.text()).isEqualTo("from west");
      assertThat(attempts(onB)).as("east was not tried").containsExactly("west:SUCCEEDED");
      assertThat(b.east().calls.get()).isEqualTo(1);
      assertThat(b.health().retryAfter("east", clock.instant())).isEqualTo(Duration.ofSeconds(59));

      clock.advance(Duration.ofSeconds(59)); // the cooldown is over everywhere: east is back
      ChatResponse back = b.gateway().chat(request);
      assertThat(attempts(back)).containsExactly("east:SUCCEEDED");
      a.east().failure = null;
      assertThat(attempts(a.gateway().chat(request))).containsExactly("east:SUCCEEDED");
    } finally {
      a.gateway().close();
      b.gateway().close();
    }
  }
}

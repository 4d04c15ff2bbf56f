package dev.llmgateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.DeploymentStats;
import dev.llmgateway.routing.FirstAvailableStrategy;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class HedgeAwareStrategyTest {
  private static final Deployment A = Deployment.of("a", "a/m");
  private static final Deployment B = Deployment.of("b", "b/m");
  private static final ChatRequest REQUEST = ChatRequest.builder().model("g").user("hi").build();

  private final HedgeAwareStrategy strategy = new HedgeAwareStrategy(FirstAvailableStrategy.INSTANCE);
  private final DeploymentStats stats = new DeploymentStats(Clock.systemUTC());

  @Test
  void aSecondAttemptOfTheSameCallGoesToAnotherDeployment() {
    CallContext call = CallContext.standalone(false);
    assertThat(strategy.choose(List.of(A, B), REQUEST, call.fork(), stats)).isEqualTo(A);
    assertThat(strategy.choose(List.of(A, B), REQUEST, call.fork(), stats)).isEqualTo(B);
  }

  @Test
  void whenEveryCandidateWasUsedTheDelegateChoosesAmongAll() {
    CallContext call = CallContext.standalone(false);
    strategy.choose(List.of(A, B), REQUEST, call, stats);
    strategy.choose(List.of(A, B), REQUEST, call, stats);
    assertThat(strategy.choose(List.of(A, B), REQUEST, call, stats)).isEqualTo(A);
  }

  @Test
  void otherCallsAreNotAffected() {
    assertThat(strategy.choose(List.of(A, B), REQUEST, CallContext.standalone(false), stats)).isEqualTo(A);
    assertThat(strategy.choose(List.of(A, B), REQUEST, CallContext.standalone(false), stats)).isEqualTo(A);
    assertThat(strategy.delegate()).isSameAs(FirstAvailableStrategy.INSTANCE);
  }
}

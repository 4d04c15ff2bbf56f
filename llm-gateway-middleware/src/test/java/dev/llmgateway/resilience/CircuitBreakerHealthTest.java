package dev.llmgateway.resilience;

import static dev.llmgateway.resilience.RetryPolicyTest.rateLimited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerHealthTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ProviderUnavailableException DOWN = new ProviderUnavailableException("503");

  private final CircuitBreakerHealth health = CircuitBreakerHealth.create(CircuitBreakerPolicy.builder()
      .minimumCalls(4).slidingWindowSize(4).failureRateThreshold(50)
      .waitInOpenState(Duration.ofSeconds(30)).permittedCallsInHalfOpen(1).build());

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private void failures(String id, int count, int atSecond) {
    for (int i = 0; i < count; i++) {
      health.recordFailure(id, DOWN, at(atSecond));
    }
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    CircuitBreakerPolicy policy = CircuitBreakerPolicy.builder().build();
    assertThat(policy).isEqualTo(CircuitBreakerPolicy.DEFAULT);
    assertThat(policy.failureRateThreshold()).isEqualTo(CircuitBreakerPolicy.DEFAULT_FAILURE_RATE_THRESHOLD)
        .isEqualTo(50f);
    assertThat(policy.minimumCalls()).isEqualTo(CircuitBreakerPolicy.DEFAULT_MINIMUM_CALLS).isEqualTo(5);
    assertThat(policy.slidingWindowType()).isEqualTo(CircuitBreakerPolicy.DEFAULT_SLIDING_WINDOW_TYPE)
        .isEqualTo(SlidingWindowType.COUNT_BASED);
    assertThat(policy.slidingWindowSize()).isEqualTo(CircuitBreakerPolicy.DEFAULT_SLIDING_WINDOW_SIZE)
        .isEqualTo(20);
    assertThat(policy.waitInOpenState()).isEqualTo(CircuitBreakerPolicy.DEFAULT_WAIT_IN_OPEN_STATE)
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.permittedCallsInHalfOpen())
        .isEqualTo(CircuitBreakerPolicy.DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN).isEqualTo(1);
    assertThat(policy.maxRetryAfter()).isEqualTo(CircuitBreakerPolicy.DEFAULT_MAX_RETRY_AFTER)
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.countsAsFailure()).isSameAs(CircuitBreakerPolicy.DEFAULT_COUNTS_AS_FAILURE);
    assertThat(CircuitBreakerHealth.create().policy()).isEqualTo(CircuitBreakerPolicy.DEFAULT);
    assertThat(policy.toBuilder().build()).isEqualTo(policy);
  }

  @Test
  void thePolicyBecomesAResilience4jConfigOnTheGivenClock() {
    Clock clock = Clock.fixed(T0, java.time.ZoneOffset.UTC);
    CircuitBreakerConfig config = CircuitBreakerPolicy.builder().slidingWindow(SlidingWindowType.TIME_BASED, 60)
        .minimumCalls(10).failureRateThreshold(25).permittedCallsInHalfOpen(3)
        .waitInOpenState(Duration.ofSeconds(7)).build().toCircuitBreakerConfig(clock);
    assertThat(config.getSlidingWindowType()).isEqualTo(SlidingWindowType.TIME_BASED);
    assertThat(config.getSlidingWindowSize()).isEqualTo(60);
    assertThat(config.getMinimumNumberOfCalls()).isEqualTo(10);
    assertThat(config.getFailureRateThreshold()).isEqualTo(25f);
    assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
    assertThat(config.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(7000L);
    assertThat(config.getClock()).isSameAs(clock);
  }

  @Test
  void contradictionsAreRejected() {
    assertThatThrownBy(() -> CircuitBreakerPolicy.builder().minimumCalls(30).slidingWindowSize(10).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("minimumCalls");
    assertThatThrownBy(() -> CircuitBreakerPolicy.builder().failureRateThreshold(0).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("failureRateThreshold");
    assertThatThrownBy(() -> CircuitBreakerPolicy.builder().waitInOpenState(Duration.ZERO).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("waitInOpenState");
  }

  @Test
  void aDeploymentThatFailsRepeatedlyIsTakenOutOfRotation() {
    health.recordSuccess("a", at(0));
    health.recordSuccess("a", at(0));
    failures("a", 1, 1);
    assertThat(health.isAvailable("a", at(1))).as("1 of 3 failed, below the minimum calls").isTrue();
    failures("a", 1, 2);

    assertThat(health.isAvailable("a", at(2))).isFalse();
    assertThat(health.state("a", at(2))).isEqualTo(State.OPEN);
    assertThat(health.retryAfter("a", at(2))).isEqualTo(Duration.ofSeconds(30));
    assertThat(health.retryAfter("a", at(12))).isEqualTo(Duration.ofSeconds(20));
    assertThat(health.isAvailable("b", at(2))).as("breakers are per deployment").isTrue();
  }

  @Test
  void anOpenDeploymentIsProbedBackInAndClosesOnSuccess() {
    failures("a", 4, 0);
    assertThat(health.isAvailable("a", at(29))).isFalse();

    assertThat(health.isAvailable("a", at(30))).as("the wait is over: half-open").isTrue();
    assertThat(health.state("a", at(30))).isEqualTo(State.HALF_OPEN);
    assertThat(health.retryAfter("a", at(30))).isNull();
    assertThat(health.isAvailable("a", at(30))).as("looking takes no probe").isTrue();

    health.recordSuccess("a", at(31));
    assertThat(health.state("a", at(31))).isEqualTo(State.CLOSED);
    assertThat(health.isAvailable("a", at(31))).isTrue();
  }

  @Test
  void aFailedProbeOpensTheBreakerAgain() {
    failures("a", 4, 0);
    assertThat(health.isAvailable("a", at(31))).isTrue();

    health.recordFailure("a", DOWN, at(32));

    assertThat(health.state("a", at(32))).isEqualTo(State.OPEN);
    assertThat(health.retryAfter("a", at(32))).isEqualTo(Duration.ofSeconds(30));
    assertThat(health.isAvailable("a", at(61))).isFalse();
    assertThat(health.isAvailable("a", at(62))).isTrue();
  }

  @Test
  void aRateLimitWithRetryAfterCoolsTheDeploymentForThatLong() {
    health.recordFailure("a", rateLimited(Duration.ofSeconds(12)), at(0));

    assertThat(health.isAvailable("a", at(0))).isFalse();
    assertThat(health.retryAfter("a", at(0))).isEqualTo(Duration.ofSeconds(12));
    assertThat(health.isAvailable("a", at(11))).isFalse();
    assertThat(health.isAvailable("a", at(12))).isTrue();
  }

  @Test
  void aRateLimitNeverShortensALongerOpeningAndIsCapped() {
    health.recordFailure("a", rateLimited(Duration.ofSeconds(60)), at(0));
    health.recordFailure("a", rateLimited(Duration.ofSeconds(5)), at(1));
    assertThat(health.retryAfter("a", at(1))).isEqualTo(Duration.ofSeconds(59));

    health.recordFailure("b", rateLimited(Duration.ofHours(3)), at(0));
    assertThat(health.retryAfter("b", at(0))).isEqualTo(CircuitBreakerPolicy.DEFAULT_MAX_RETRY_AFTER);
  }

  @Test
  void failuresThatAreTheRequestsFaultAreNotCounted() {
    for (LlmException e : new LlmException[] {new InvalidRequestException("bad"),
        new CallCancelledException("gone"), new AuthenticationException("bad key"),
        new RateLimitedException("quota", ErrorContext.EMPTY.withRetryable(false), null)}) {
      for (int i = 0; i < 10; i++) {
        health.recordFailure("a", e, at(0));
      }
    }
    assertThat(health.isAvailable("a", at(0))).isTrue();
    assertThat(health.circuitBreaker("a").getMetrics().getNumberOfBufferedCalls()).isZero();
  }

  @Test
  void whatCountsAsAFailureIsConfigurable() {
    CircuitBreakerHealth strict = CircuitBreakerHealth.create(CircuitBreakerPolicy.builder()
        .minimumCalls(2).slidingWindowSize(2)
        .countsAsFailure(e -> e.isRetryable() || e instanceof AuthenticationException).build());
    strict.recordFailure("a", new AuthenticationException("revoked key"), at(0));
    strict.recordFailure("a", new AuthenticationException("revoked key"), at(0));
    assertThat(strict.isAvailable("a", at(0))).isFalse();
  }

  @Test
  void theRegistryHoldsOneBreakerPerDeployment() {
    health.isAvailable("a", at(0));
    health.isAvailable("b", at(0));
    assertThat(health.registry().getAllCircuitBreakers()).extracting(cb -> cb.getName())
        .containsExactlyInAnyOrder("a", "b");
    assertThat(health.circuitBreaker("a")).isSameAs(health.registry().circuitBreaker("a"));
  }
}

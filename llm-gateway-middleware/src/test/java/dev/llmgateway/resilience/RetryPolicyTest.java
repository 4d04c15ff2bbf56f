package dev.llmgateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  /** Always the highest value allowed: the backoff equals its ceiling. */
  static final RandomGenerator HIGHEST = new RandomGenerator() {
    @Override
    public long nextLong() {
      return Long.MAX_VALUE;
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  };
  /** Always zero. */
  static final RandomGenerator LOWEST = () -> 0L;

  static RateLimitedException rateLimited(Duration retryAfter) {
    return new RateLimitedException("slow down", ErrorContext.EMPTY.withRetryAfter(retryAfter), null);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    RetryPolicy policy = RetryPolicy.builder().build();
    assertThat(policy).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(policy.maxAttempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS).isEqualTo(4);
    assertThat(policy.maxRetriesByError()).isEqualTo(RetryPolicy.DEFAULT_MAX_RETRIES_BY_ERROR)
        .containsExactlyInAnyOrderEntriesOf(Map.of(RateLimitedException.class, 3,
            ProviderUnavailableException.class, 2, LlmTimeoutException.class, 1,
            StreamInterruptedException.class, 1, MalformedResponseException.class, 1));
    assertThat(policy.maxRetriesForOtherErrors())
        .isEqualTo(RetryPolicy.DEFAULT_MAX_RETRIES_FOR_OTHER_ERRORS).isEqualTo(1);
    assertThat(policy.initialBackoff()).isEqualTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF)
        .isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoffMultiplier()).isEqualTo(RetryPolicy.DEFAULT_BACKOFF_MULTIPLIER).isEqualTo(2.0);
    assertThat(policy.maxBackoff()).isEqualTo(RetryPolicy.DEFAULT_MAX_BACKOFF).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.maxRetryAfter()).isEqualTo(RetryPolicy.DEFAULT_MAX_RETRY_AFTER)
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.maxTotalTime()).isEqualTo(RetryPolicy.DEFAULT_MAX_TOTAL_TIME)
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void toBuilderKeepsEverySetting() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(7).maxRetries(RateLimitedException.class, 5)
        .maxRetriesForOtherErrors(0).initialBackoff(Duration.ofMillis(100)).backoffMultiplier(3)
        .maxBackoff(Duration.ofSeconds(2)).maxRetryAfter(Duration.ofSeconds(9))
        .maxTotalTime(Duration.ofSeconds(30)).build();
    assertThat(policy.toBuilder().build()).isEqualTo(policy);
  }

  @Test
  void contradictionsAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> RetryPolicy.builder().maxRetries(RateLimitedException.class, -1).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("RateLimitedException");
    assertThatThrownBy(() -> RetryPolicy.builder().backoffMultiplier(0.5).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("backoffMultiplier");
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(10)).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> RetryPolicy.builder().maxTotalTime(Duration.ZERO).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("maxTotalTime");
  }

  @Test
  void anErrorCountsUnderTheMostSpecificListedClass() {
    RetryPolicy policy = RetryPolicy.builder().maxRetries(LlmException.class, 9).build();
    class Overloaded extends ProviderUnavailableException {
      Overloaded() {
        super("529");
      }
    }
    assertThat(policy.errorClassOf(new Overloaded())).isEqualTo(ProviderUnavailableException.class);
    assertThat(policy.maxRetriesFor(new Overloaded())).isEqualTo(2);
    assertThat(policy.errorClassOf(new NoDeploymentAvailableException("none", ErrorContext.EMPTY,
        List.of()))).isEqualTo(LlmException.class);
    assertThat(RetryPolicy.DEFAULT.errorClassOf(new InvalidRequestException("bad")))
        .isEqualTo(LlmException.class);
    assertThat(RetryPolicy.DEFAULT.maxRetriesFor(new InvalidRequestException("bad")))
        .isEqualTo(RetryPolicy.DEFAULT_MAX_RETRIES_FOR_OTHER_ERRORS);
  }

  @Test
  void retriesOnlyRetryableErrorsOfClassesWithRetriesLeft() {
    assertThat(RetryPolicy.DEFAULT.retries(new ProviderUnavailableException("503"))).isTrue();
    assertThat(RetryPolicy.DEFAULT.retries(new InvalidRequestException("400"))).isFalse();
    assertThat(RetryPolicy.DEFAULT.retries(new RateLimitedException("quota",
        ErrorContext.EMPTY.withRetryable(false), null))).as("quota exhaustion").isFalse();
    assertThat(RetryPolicy.builder().maxRetries(MalformedResponseException.class, 0).build()
        .retries(new MalformedResponseException("bad json"))).isFalse();
    assertThat(RetryPolicy.none().retries(new ProviderUnavailableException("503"))).isFalse();
  }

  @Test
  void backoffIsExponentialWithFullJitterUpToTheCap() {
    RetryPolicy policy = RetryPolicy.DEFAULT;
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7).stream().map(n -> policy.backoff(n, HIGHEST)).toList())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(8));
    assertThat(policy.backoff(3, LOWEST)).as("full jitter reaches down to zero").isEqualTo(Duration.ZERO);
    RandomGenerator middle = new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return bound / 2;
      }
    };
    assertThat(policy.backoff(2, middle)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void theDelayIsTheRetryAfterOfTheFailureCapped() {
    RetryPolicy policy = RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(20)).build();
    assertThat(policy.delay(1, rateLimited(Duration.ofSeconds(7)), HIGHEST)).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.delay(1, rateLimited(Duration.ofMinutes(5)), HIGHEST)).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.delay(2, new ProviderUnavailableException("503"), HIGHEST))
        .as("no retry-after: backoff").isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theIntervalFunctionAndRetryConfigSpeakResilience4j() {
    RetryPolicy policy = RetryPolicy.DEFAULT;
    assertThat(policy.intervalFunction(HIGHEST).apply(1, Either.left(rateLimited(Duration.ofSeconds(3)))))
        .isEqualTo(3000L);
    assertThat(policy.intervalFunction(HIGHEST).apply(3, Either.left(new ProviderUnavailableException("503"))))
        .isEqualTo(2000L);
    assertThat(policy.intervalFunction(HIGHEST).apply(2, Either.right("a result"))).isEqualTo(1000L);

    RetryConfig config = policy.toRetryConfig(HIGHEST);
    assertThat(config.getMaxAttempts()).isEqualTo(4);
    assertThat(config.getExceptionPredicate().test(new ProviderUnavailableException("503"))).isTrue();
    assertThat(config.getExceptionPredicate().test(new InvalidRequestException("400"))).isFalse();
    assertThat(config.getExceptionPredicate().test(new IllegalStateException())).isFalse();
    assertThat(config.<Object>getIntervalBiFunction().apply(1, Either.left(rateLimited(Duration.ofSeconds(2)))))
        .isEqualTo(2000L);
  }
}

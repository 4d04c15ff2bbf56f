package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CooldownHealthTest {
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  private static RateLimitedException rateLimited(Duration retryAfter) {
    return new RateLimitedException("429", ErrorContext.EMPTY.withRetryAfter(retryAfter), null);
  }

  private static ProviderUnavailableException unavailable() {
    return new ProviderUnavailableException("503");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    CooldownHealth health = CooldownHealth.create();
    assertThat(health.failureThreshold()).isEqualTo(CooldownHealth.DEFAULT_FAILURE_THRESHOLD).isEqualTo(3);
    assertThat(health.cooldown()).isEqualTo(CooldownHealth.DEFAULT_COOLDOWN).isEqualTo(Duration.ofSeconds(30));
    assertThat(health.maxRetryAfter()).isEqualTo(CooldownHealth.DEFAULT_MAX_RETRY_AFTER)
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void rejectsSettingsThatMakeNoSense() {
    assertThatThrownBy(() -> CooldownHealth.builder().failureThreshold(0))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> CooldownHealth.builder().cooldown(Duration.ZERO))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void rateLimitCoolsDownAtOnceForItsRetryAfter() {
    CooldownHealth health = CooldownHealth.create();
    health.recordFailure("d", rateLimited(Duration.ofSeconds(20)), T0);

    assertThat(health.isAvailable("d", T0)).isFalse();
    assertThat(health.retryAfter("d", T0.plusSeconds(5))).isEqualTo(Duration.ofSeconds(15));
    assertThat(health.isAvailable("d", T0.plusSeconds(20))).isTrue();
    assertThat(health.retryAfter("d", T0.plusSeconds(20))).isNull();
  }

  @Test
  void retryAfterIsCappedAndAbsentRetryAfterMeansTheCooldown() {
    CooldownHealth health = CooldownHealth.builder().cooldown(Duration.ofSeconds(7))
        .maxRetryAfter(Duration.ofMinutes(1)).build();
    health.recordFailure("long", rateLimited(Duration.ofHours(1)), T0);
    health.recordFailure("unsaid", new RateLimitedException("429"), T0);

    assertThat(health.retryAfter("long", T0)).isEqualTo(Duration.ofMinutes(1));
    assertThat(health.retryAfter("unsaid", T0)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void consecutiveFailuresCoolDownAtTheThresholdAndASuccessResetsTheCount() {
    CooldownHealth health = CooldownHealth.builder().failureThreshold(3).cooldown(Duration.ofSeconds(10))
        .build();
    health.recordFailure("d", unavailable(), T0);
    health.recordFailure("d", unavailable(), T0);
    health.recordSuccess("d", T0);
    health.recordFailure("d", unavailable(), T0);
    health.recordFailure("d", unavailable(), T0);
    assertThat(health.isAvailable("d", T0)).isTrue();

    health.recordFailure("d", unavailable(), T0.plusSeconds(1));
    assertThat(health.retryAfter("d", T0.plusSeconds(1))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void afterTheCooldownOneFailureCoolsDownAgainAndOneSuccessClearsIt() {
    CooldownHealth health = CooldownHealth.builder().failureThreshold(2).cooldown(Duration.ofSeconds(10))
        .build();
    health.recordFailure("d", unavailable(), T0);
    health.recordFailure("d", unavailable(), T0);
    Instant later = T0.plusSeconds(10);
    assertThat(health.isAvailable("d", later)).as("probed back in").isTrue();

    health.recordFailure("d", unavailable(), later);
    assertThat(health.retryAfter("d", later)).as("the probe failed").isEqualTo(Duration.ofSeconds(10));

    Instant evenLater = later.plusSeconds(10);
    health.recordSuccess("d", evenLater);
    health.recordFailure("d", unavailable(), evenLater);
    assertThat(health.isAvailable("d", evenLater)).as("a fresh count after the success").isTrue();
  }

  @Test
  void authenticationFailuresCountAgainstTheDeployment() {
    CooldownHealth health = CooldownHealth.builder().failureThreshold(1).build();
    health.recordFailure("d", new AuthenticationException("401"), T0);
    assertThat(health.isAvailable("d", T0)).isFalse();
  }

  @Test
  void failuresOfTheRequestOrTheCallerDoNotCount() {
    CooldownHealth health = CooldownHealth.builder().failureThreshold(1).build();
    health.recordFailure("d", new InvalidRequestException("400"), T0);
    health.recordFailure("d", new ContextLengthExceededException("too long", ErrorContext.EMPTY, null), T0);
    health.recordFailure("d", new ContentFilteredException("filtered"), T0);
    health.recordFailure("d", new CallCancelledException("cancelled"), T0);
    assertThat(health.isAvailable("d", T0)).isTrue();
  }

  @Test
  void concurrentFailuresAreAllCounted() throws Exception {
    int threads = 8;
    int each = 250;
    CooldownHealth health = CooldownHealth.builder().failureThreshold(threads * each).build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            health.recordFailure("d", unavailable(), T0);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(health.isAvailable("d", T0)).as("the last of 2,000 failures reached the threshold").isFalse();
  }

  @Test
  void cooldownsAdmitEveryCallTheyConsiderAvailable() {
    CooldownHealth health = CooldownHealth.create();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 3; i++) {
      assertThat(health.tryAcquire("a", now)).as("the interface's default: no limit").isTrue();
    }
    health.release("a");
    assertThat(health.isAvailable("a", now)).isTrue();
  }
}

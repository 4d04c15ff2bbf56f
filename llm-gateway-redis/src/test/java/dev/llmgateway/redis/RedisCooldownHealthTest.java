package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.routing.CooldownHealth;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cooldowns shared through a real redis-server by several {@link RedisCooldownHealth} instances (each on
 * its own connection, as separate application instances would be). Time is the routers' time, passed in:
 * the tests move it instead of sleeping; Redis's own expiry is waited for only where it is the subject.
 */
class RedisCooldownHealthTest {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  private static RateLimitedException rateLimited(Duration retryAfter) {
    return new RateLimitedException("429", ErrorContext.EMPTY.withRetryAfter(retryAfter), null);
  }

  private static ProviderUnavailableException unavailable() {
    return new ProviderUnavailableException("503");
  }

  private static RedisCooldownHealth.Builder instance() {
    return RedisCooldownHealth.builder(REDIS.connect());
  }

  private static RedisCommands<String, String> redis() {
    return REDIS.connect().sync();
  }

  @Test
  void defaultsAreTheDocumentedOnesAndCooldownHealths() {
    RedisCooldownHealth health = RedisCooldownHealth.create(REDIS.connect());
    assertThat(health.keyPrefix()).isEqualTo(RedisCooldownHealth.DEFAULT_KEY_PREFIX).isEqualTo("llmgw:health:");
    assertThat(health.failureThreshold()).isEqualTo(RedisCooldownHealth.DEFAULT_FAILURE_THRESHOLD)
        .isEqualTo(CooldownHealth.DEFAULT_FAILURE_THRESHOLD).isEqualTo(3);
    assertThat(health.cooldown()).isEqualTo(RedisCooldownHealth.DEFAULT_COOLDOWN)
        .isEqualTo(CooldownHealth.DEFAULT_COOLDOWN).isEqualTo(Duration.ofSeconds(30));
    assertThat(health.maxRetryAfter()).isEqualTo(RedisCooldownHealth.DEFAULT_MAX_RETRY_AFTER)
        .isEqualTo(CooldownHealth.DEFAULT_MAX_RETRY_AFTER).isEqualTo(Duration.ofMinutes(5));
    assertThat(health.refreshInterval()).isEqualTo(RedisCooldownHealth.DEFAULT_REFRESH_INTERVAL)
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(health.isDegraded()).isFalse();
    assertThat(health.cooldownKey("d")).isEqualTo("llmgw:health:cooldown:{d}");
    assertThat(health.recordKey("d")).isEqualTo("llmgw:health:failures:{d}");
  }

  @Test
  void rejectsSettingsThatMakeNoSense() {
    assertThatThrownBy(() -> instance().failureThreshold(0)).isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> instance().cooldown(Duration.ZERO)).isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> instance().maxRetryAfter(Duration.ofSeconds(-1)))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> instance().refreshInterval(Duration.ofMillis(-1)))
        .isInstanceOf(LlmConfigurationException.class);
    assertThat(instance().refreshInterval(Duration.ZERO).build().refreshInterval()).isZero();
  }

  @Test
  void aRateLimitOnOneInstanceCoolsTheDeploymentDownOnAnotherAfterItsNextRefresh() {
    RedisCooldownHealth a = instance().build();
    RedisCooldownHealth b = instance().build();
    assertThat(b.isAvailable("d", T0)).isTrue(); // b's snapshot, read at T0

    a.recordFailure("d", rateLimited(Duration.ofSeconds(20)), T0);
    assertThat(a.retryAfter("d", T0)).as("at once where it was set").isEqualTo(Duration.ofSeconds(20));
    assertThat(b.isAvailable("d", T0.plusMillis(999))).as("b's snapshot is not due yet").isTrue();

    Instant refreshed = T0.plusSeconds(1);
    assertThat(b.isAvailable("d", refreshed)).isFalse();
    assertThat(b.retryAfter("d", refreshed)).isEqualTo(Duration.ofSeconds(19));
    assertThat(b.retryAfter("d", T0.plusSeconds(5))).isEqualTo(Duration.ofSeconds(15));

    RedisCommands<String, String> redis = redis();
    assertThat(redis.get("llmgw:health:cooldown:{d}"))
        .isEqualTo(Long.toString(T0.plusSeconds(20).toEpochMilli()));
    assertThat(redis.pttl("llmgw:health:cooldown:{d}")).isBetween(1L, 20_000L);
  }

  @Test
  void theCooldownEndsByTheRoutersClockOnEveryInstance() {
    RedisCooldownHealth a = instance().build();
    RedisCooldownHealth b = instance().build();
    a.recordFailure("d", rateLimited(Duration.ofSeconds(20)), T0);
    assertThat(b.isAvailable("d", T0)).isFalse(); // first question about d: read at once

    Instant end = T0.plusSeconds(20);
    assertThat(a.isAvailable("d", end)).isTrue();
    assertThat(a.retryAfter("d", end)).isNull();
    assertThat(b.isAvailable("d", end)).isTrue();
    assertThat(b.retryAfter("d", end)).isNull();
  }

  @Test
  void redisExpiresTheCooldownKeyWithTheCooldown() {
    RedisCooldownHealth a = instance().build();
    a.recordFailure("d", rateLimited(Duration.ofMillis(300)), Instant.now());
    RedisCommands<String, String> redis = redis();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> redis.exists("llmgw:health:cooldown:{d}") == 0);
    assertThat(redis.pttl("llmgw:health:failures:{d}")).as("the record outlives it, for the probation")
        .isPositive();
  }

  @Test
  void aCountExpiresACooldownAfterTheLastFailure() {
    RedisCooldownHealth a = instance().cooldown(Duration.ofSeconds(10)).build();
    a.recordFailure("d", unavailable(), T0);
    RedisCommands<String, String> redis = redis();
    assertThat(redis.hget("llmgw:health:failures:{d}", "failures")).isEqualTo("1");
    assertThat(redis.pttl("llmgw:health:failures:{d}")).isBetween(1L, 10_000L);
    assertThat(redis.exists("llmgw:health:cooldown:{d}")).as("no cooldown yet").isZero();
  }

  @Test
  void retryAfterIsCappedAndAbsentRetryAfterMeansTheCooldown() {
    RedisCooldownHealth a = instance().cooldown(Duration.ofSeconds(7)).maxRetryAfter(Duration.ofMinutes(1))
        .build();
    RedisCooldownHealth b = instance().build();
    a.recordFailure("long", rateLimited(Duration.ofHours(1)), T0);
    a.recordFailure("unsaid", new RateLimitedException("429"), T0);

    assertThat(b.retryAfter("long", T0)).isEqualTo(Duration.ofMinutes(1));
    assertThat(b.retryAfter("unsaid", T0)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void consecutiveFailuresOnTwoInstancesReachTheThresholdTogether() {
    RedisCooldownHealth a = instance().failureThreshold(3).cooldown(Duration.ofSeconds(10)).build();
    RedisCooldownHealth b = instance().failureThreshold(3).cooldown(Duration.ofSeconds(10)).build();
    a.recordFailure("d", unavailable(), T0);
    b.recordFailure("d", unavailable(), T0);
    assertThat(a.isAvailable("d", T0)).isTrue();
    assertThat(b.isAvailable("d", T0)).isTrue();

    a.recordFailure("d", unavailable(), T0.plusSeconds(1));
    assertThat(a.retryAfter("d", T0.plusSeconds(1))).as("the third in a row, fleet-wide")
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(b.retryAfter("d", T0.plusSeconds(2))).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void aSuccessAfterAFailureResetsTheSharedCount() {
    RedisCooldownHealth a = instance().failureThreshold(3).build();
    RedisCooldownHealth b = instance().failureThreshold(3).build();
    a.recordFailure("d", unavailable(), T0);
    b.recordFailure("d", unavailable(), T0);
    a.recordSuccess("d", T0); // a counted a failure: it resets the fleet's count
    assertThat(redis().exists("llmgw:health:failures:{d}")).isZero();

    b.recordFailure("d", unavailable(), T0);
    a.recordFailure("d", unavailable(), T0);
    assertThat(a.isAvailable("d", T0)).as("two in a row since the reset").isTrue();
    b.recordFailure("d", unavailable(), T0);
    assertThat(b.isAvailable("d", T0)).isFalse();
  }

  @Test
  void aSuccessOnAnInstanceThatSawNoFailureLeavesTheCountAsItIs() {
    // the documented approximation: no round trip for a success unless this instance has reason to reset
    RedisCooldownHealth a = instance().failureThreshold(3).build();
    RedisCooldownHealth c = instance().failureThreshold(3).build();
    a.recordFailure("d", unavailable(), T0);
    a.recordFailure("d", unavailable(), T0);
    c.recordSuccess("d", T0);
    assertThat(redis().hget("llmgw:health:failures:{d}", "failures")).isEqualTo("2");

    a.recordFailure("d", unavailable(), T0);
    assertThat(c.isAvailable("d", T0)).isFalse();
  }

  @Test
  void afterTheCooldownOneFailureOnAnyInstanceCoolsDownAgain() {
    RedisCooldownHealth a = instance().failureThreshold(3).cooldown(Duration.ofSeconds(10)).build();
    RedisCooldownHealth b = instance().failureThreshold(3).cooldown(Duration.ofSeconds(10)).build();
    a.recordFailure("d", rateLimited(Duration.ofSeconds(5)), T0);
    Instant later = T0.plusSeconds(5);
    assertThat(a.isAvailable("d", later)).as("probed back in").isTrue();
    assertThat(b.isAvailable("d", later)).isTrue();

    // the second failure in a row, below the threshold, and b's first of d: but d is on probation
    b.recordFailure("d", unavailable(), later);
    assertThat(b.retryAfter("d", later)).as("the probe failed").isEqualTo(Duration.ofSeconds(10));
    assertThat(a.retryAfter("d", later.plusSeconds(1))).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void aSuccessOnProbationClearsTheRecordEvenOnAnInstanceThatOnlySawTheCooldown() {
    RedisCooldownHealth a = instance().failureThreshold(2).cooldown(Duration.ofSeconds(10)).build();
    RedisCooldownHealth b = instance().failureThreshold(2).cooldown(Duration.ofSeconds(10)).build();
    a.recordFailure("d", unavailable(), T0);
    a.recordFailure("d", unavailable(), T0);
    assertThat(b.isAvailable("d", T0)).isFalse(); // b sees the cooldown

    Instant later = T0.plusSeconds(10);
    assertThat(b.isAvailable("d", later)).isTrue();
    b.recordSuccess("d", later);
    assertThat(redis().exists("llmgw:health:failures:{d}")).isZero();

    a.recordFailure("d", unavailable(), later);
    assertThat(a.isAvailable("d", later)).as("a fresh count after the success").isTrue();
  }

  @Test
  void authenticationFailuresCountAgainstTheDeployment() {
    RedisCooldownHealth a = instance().failureThreshold(1).build();
    RedisCooldownHealth b = instance().failureThreshold(1).build();
    a.recordFailure("d", new AuthenticationException("401"), T0);
    assertThat(b.isAvailable("d", T0)).isFalse();
  }

  @Test
  void failuresOfTheRequestOrTheCallerDoNotCountNorReachRedis() {
    RedisCooldownHealth a = instance().failureThreshold(1).build();
    a.recordFailure("d", new InvalidRequestException("400"), T0);
    a.recordFailure("d", new ContextLengthExceededException("too long", ErrorContext.EMPTY, null), T0);
    a.recordFailure("d", new ContentFilteredException("filtered"), T0);
    a.recordFailure("d", new CallCancelledException("cancelled"), T0);
    assertThat(a.isAvailable("d", T0)).isTrue();
    assertThat(redis().dbsize()).isZero();
  }

  @Test
  void instancesWithAnotherPrefixDoNotShare() {
    RedisCooldownHealth a = instance().build();
    RedisCooldownHealth other = instance().keyPrefix("other:").build();
    a.recordFailure("d", rateLimited(Duration.ofSeconds(20)), T0);
    assertThat(other.isAvailable("d", T0)).isTrue();
    assertThat(other.cooldownKey("d")).isEqualTo("other:cooldown:{d}");
  }

  @Test
  void concurrentFailuresOnTwoInstancesAreAllCounted() throws Exception {
    int threads = 8;
    int each = 50;
    List<RedisCooldownHealth> instances = List.of(
        instance().failureThreshold(threads * each).build(),
        instance().failureThreshold(threads * each).build());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RedisCooldownHealth health = instances.get(t % 2);
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
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(redis().hget("llmgw:health:failures:{d}", "failures")).isEqualTo(Integer.toString(threads * each));
    assertThat(instances.get(0).isAvailable("d", T0)).as("the last of 400 failures reached the threshold")
        .isFalse();
  }

  /**
   * One instance alone behaves exactly as {@link CooldownHealth} (the shared rules are its rules), for
   * random sequences of outcomes as a router reports them: successes only on available deployments (a
   * success during a cooldown is the one documented difference), times on whole milliseconds.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void oneInstanceAloneAgreesWithCooldownHealth(long seed) {
    Random random = new Random(seed);
    int threshold = 1 + random.nextInt(3);
    CooldownHealth expected = CooldownHealth.builder().failureThreshold(threshold)
        .cooldown(Duration.ofSeconds(10)).maxRetryAfter(Duration.ofSeconds(30)).build();
    RedisCooldownHealth actual = instance().failureThreshold(threshold).cooldown(Duration.ofSeconds(10))
        .maxRetryAfter(Duration.ofSeconds(30)).build();
    List<String> ids = List.of("a", "b");
    Instant now = T0;
    for (int step = 0; step < 300; step++) {
      now = now.plusMillis(random.nextInt(4_000));
      String id = ids.get(random.nextInt(ids.size()));
      int pick = random.nextInt(10);
      String event;
      if (pick < 3) {
        if (!expected.isAvailable(id, now)) {
          continue;
        }
        expected.recordSuccess(id, now);
        actual.recordSuccess(id, now);
        event = "success";
      } else {
        LlmException error = switch (pick) {
          case 3, 4, 5 -> unavailable();
          case 6 -> rateLimited(Duration.ofMillis(random.nextInt(45_000)));
          case 7 -> new RateLimitedException("429");
          case 8 -> new AuthenticationException("401");
          default -> new InvalidRequestException("400");
        };
        expected.recordFailure(id, error, now);
        actual.recordFailure(id, error, now);
        event = error.getClass().getSimpleName();
      }
      for (String d : ids) {
        assertThat(actual.retryAfter(d, now)).as("seed %d, step %d (%s on %s at %s): %s", seed, step, event,
            id, now, d).isEqualTo(expected.retryAfter(d, now));
      }
    }
  }

  @Test
  void whileRedisIsDownEachInstanceKeepsItsOwnCooldownsAndNoCallFails() throws Exception {
    RedisCooldownHealth a = instance().failureThreshold(2).refreshInterval(Duration.ZERO).build();
    a.recordFailure("shared", rateLimited(Duration.ofMinutes(1)), T0);
    assertThat(a.isAvailable("d", T0)).isTrue();

    REDIS.stop();
    assertThat(a.tryAcquire("d", T0)).isTrue();
    a.release("d");
    assertThat(a.isDegraded()).as("tryAcquire and release never touch Redis").isFalse();

    a.recordFailure("d", unavailable(), T0);
    assertThat(a.isDegraded()).isTrue();
    assertThat(a.isAvailable("d", T0)).isTrue();
    a.recordFailure("d", unavailable(), T0);
    assertThat(a.isAvailable("d", T0)).as("cooled down by this instance's own count").isFalse();
    assertThat(a.retryAfter("d", T0)).isEqualTo(RedisCooldownHealth.DEFAULT_COOLDOWN);
    assertThat(a.isAvailable("shared", T0)).as("the last snapshot still holds").isFalse();
    a.recordSuccess("other", T0);
    a.recordFailure("other", rateLimited(Duration.ofSeconds(5)), T0);
    a.recordSuccess("other", T0.plusSeconds(5));

    REDIS.start(); // an empty server: no persistence
    AtomicLong tick = new AtomicLong();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
      a.isAvailable("d", T0.plusMillis(tick.incrementAndGet()));
      return !a.isDegraded();
    });
    assertThat(a.isAvailable("d", T0)).as("the cooldown it decided alone lasts to its end").isFalse();
    assertThat(a.isAvailable("d", T0.plus(RedisCooldownHealth.DEFAULT_COOLDOWN))).isTrue();
    a.recordFailure("d", rateLimited(Duration.ofSeconds(20)), T0);
    assertThat(redis().exists("llmgw:health:cooldown:{d}")).isEqualTo(1);
  }

  private static long mgetCalls(RedisCommands<String, String> redis) {
    for (String line : redis.info("commandstats").split("\\r?\\n")) {
      if (line.startsWith("cmdstat_mget:")) {
        String calls = line.substring(line.indexOf("calls=") + 6);
        return Long.parseLong(calls.substring(0, calls.indexOf(',')));
      }
    }
    return 0;
  }

  @Test
  void clockReadsOlderThanTheLastRefreshDoNotRefreshAgain() {
    RedisCooldownHealth health = instance().build();
    RedisCommands<String, String> redis = redis();
    health.isAvailable("d", T0.plusSeconds(10)); // first use: one refresh
    long before = mgetCalls(redis);

    for (int i = 1; i <= 100; i++) {
      health.isAvailable("d", T0.plusSeconds(10).minusMillis(i)); // calls whose clock read raced ahead
    }
    assertThat(mgetCalls(redis) - before).isZero();

    health.isAvailable("d", T0.plusSeconds(11));
    assertThat(mgetCalls(redis) - before).as("due again one interval later").isEqualTo(1);
    health.isAvailable("d", T0.minusSeconds(60));
    assertThat(mgetCalls(redis) - before).as("a clock that jumped back is due at once").isEqualTo(2);
  }

  @Test
  void anErrorReplyFromRedisIsAnOutageNotAFailedCall() {
    RedisCooldownHealth health = instance().build();
    RedisCommands<String, String> admin = redis();
    String maxmemory = admin.configGet("maxmemory").get("maxmemory");
    admin.configSet("maxmemory-policy", "noeviction");
    admin.configSet("maxmemory", "1");
    try {
      health.recordFailure("d", rateLimited(Duration.ofSeconds(20)), T0); // the script is refused: OOM

      assertThat(health.isDegraded()).isTrue();
      assertThat(health.retryAfter("d", T0)).as("the local cooldown applies")
          .isEqualTo(Duration.ofSeconds(20));
      health.recordSuccess("d", T0.plusSeconds(30));
    } finally {
      admin.configSet("maxmemory", maxmemory);
    }
    assertThat(health.isAvailable("d", T0.plusSeconds(60))).isTrue();
  }
}

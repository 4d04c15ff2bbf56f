package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Usage;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

class DeploymentStatsTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void defaultsAreTheDocumentedOnes() {
    DeploymentStats stats = new DeploymentStats();
    assertThat(stats.smoothing()).isEqualTo(DeploymentStats.DEFAULT_SMOOTHING).isEqualTo(0.3);
    assertThat(stats.clock()).isEqualTo(Clock.systemUTC());
    assertThat(stats.inFlight("x")).isZero();
    assertThat(stats.averageLatency("x")).isNull();
    assertThat(stats.averageTimeToFirstToken("x")).isNull();
  }

  @Test
  void concurrentCallsAreCountedWithoutLostUpdates() throws Exception {
    DeploymentStats stats = new DeploymentStats(clock);
    int threads = 16;
    int callsEach = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < callsEach; i++) {
            stats.begin("d", 10).succeeded(Usage.of(3, 4)); // 7 tokens each after correction
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
    assertThat(stats.inFlight("d")).isZero();
    assertThat(stats.requestsThisMinute("d")).isEqualTo((long) threads * callsEach);
    assertThat(stats.tokensThisMinute("d")).isEqualTo(7L * threads * callsEach);
  }

  @Test
  void tryBeginNeverExceedsTheInFlightLimitUnderConcurrency() throws Exception {
    DeploymentStats stats = new DeploymentStats(clock);
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<DeploymentStats.InFlightCall>> calls = new ArrayList<>();
    List<DeploymentStats.InFlightCall> admitted = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        calls.add(pool.submit(() -> {
          start.await();
          return stats.tryBegin("d", 0, 5);
        }));
      }
      start.countDown();
      for (Future<DeploymentStats.InFlightCall> f : calls) {
        DeploymentStats.InFlightCall call = f.get(30, TimeUnit.SECONDS);
        if (call != null) {
          admitted.add(call);
        }
      }
      assertThat(admitted).hasSize(5);
      assertThat(stats.inFlight("d")).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
    admitted.forEach(DeploymentStats.InFlightCall::abandoned);
    assertThat(stats.inFlight("d")).isZero();
  }

  @Test
  void aCallEndsOnceWhateverIsCalledLater() {
    DeploymentStats stats = new DeploymentStats(clock);
    DeploymentStats.InFlightCall call = stats.begin("d", 0);
    call.succeeded(null);
    call.failed(new ProviderUnavailableException("x"));
    call.abandoned();
    assertThat(stats.inFlight("d")).isZero();
  }

  @Test
  void movingAverageWeighsTheNewestSampleBySmoothing() {
    DeploymentStats stats = new DeploymentStats(clock, 0.5);
    DeploymentStats.InFlightCall first = stats.begin("d", 0);
    clock.advance(Duration.ofMillis(100));
    first.succeeded(null);
    assertThat(stats.averageLatency("d")).isEqualTo(Duration.ofMillis(100));

    DeploymentStats.InFlightCall second = stats.begin("d", 0);
    clock.advance(Duration.ofMillis(200));
    second.succeeded(null);
    assertThat(stats.averageLatency("d")).isEqualTo(Duration.ofMillis(150));
  }

  @Test
  void timeoutsAreLatencySamplesButOtherFailuresAreNot() {
    DeploymentStats stats = new DeploymentStats(clock, 1.0);
    DeploymentStats.InFlightCall fastFailure = stats.begin("d", 0);
    clock.advance(Duration.ofMillis(5));
    fastFailure.failed(new ProviderUnavailableException("503"));
    assertThat(stats.averageLatency("d")).isNull();

    DeploymentStats.InFlightCall timedOut = stats.begin("d", 0);
    clock.advance(Duration.ofSeconds(30));
    timedOut.failed(new LlmTimeoutException("slow"));
    assertThat(stats.averageLatency("d")).isEqualTo(Duration.ofSeconds(30));
    assertThat(stats.averageTimeToFirstToken("d")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void timeToFirstTokenIsMeasuredFromTheStartOfTheCall() {
    DeploymentStats stats = new DeploymentStats(clock);
    DeploymentStats.InFlightCall call = stats.begin("d", 0);
    clock.advance(Duration.ofMillis(300));
    call.firstToken();
    clock.advance(Duration.ofMillis(700));
    call.firstToken(); // only the first counts
    call.succeeded(null);
    assertThat(stats.averageTimeToFirstToken("d")).isEqualTo(Duration.ofMillis(300));
    assertThat(stats.averageLatency("d")).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void tokensAreEstimatedAtTheStartAndCorrectedToReportedUsage() {
    DeploymentStats stats = new DeploymentStats(clock);
    DeploymentStats.InFlightCall call = stats.begin("d", 100);
    assertThat(stats.tokensThisMinute("d")).isEqualTo(100);
    call.succeeded(Usage.of(30, 20));
    assertThat(stats.tokensThisMinute("d")).isEqualTo(50);

    stats.begin("d", 40).succeeded(Usage.ZERO); // nothing reported: the estimate stands
    assertThat(stats.tokensThisMinute("d")).isEqualTo(90);
  }

  @Test
  void countsStartAfreshInEachClockMinute() {
    DeploymentStats stats = new DeploymentStats(clock);
    stats.begin("d", 10);
    stats.begin("d", 10);
    assertThat(stats.requestsThisMinute("d")).isEqualTo(2);

    clock.advance(Duration.ofMinutes(1));
    assertThat(stats.requestsThisMinute("d")).isZero();
    assertThat(stats.tokensThisMinute("d")).isZero();
    assertThat(stats.inFlight("d")).isEqualTo(2); // in flight is not per minute
    stats.begin("d", 5);
    assertThat(stats.requestsThisMinute("d")).isEqualTo(1);
    assertThat(stats.tokensThisMinute("d")).isEqualTo(5);
  }
}

package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/**
 * Each strategy distributes as specified. Random strategies draw from a seeded generator; the bounds
 * below are at least five standard deviations of the binomial count, so a correct strategy passes for
 * almost every seed, and the seed makes the run reproducible.
 */
class RoutingStrategyTest {
  private static final int PICKS = 10_000;

  private final ManualClock clock = new ManualClock();
  private final DeploymentStats stats = new DeploymentStats(clock);
  private final CallContext blocking = CallContext.standalone(false);
  private final CallContext streaming = CallContext.standalone(true);
  private final ChatRequest request = ChatRequest.builder().model("g").user("x".repeat(400)).build();

  private final Deployment x = Deployment.of("x", "p/x");
  private final Deployment y = Deployment.of("y", "p/y");
  private final Deployment z = Deployment.of("z", "p/z");

  private Map<String, Integer> tally(int picks, Supplier<Deployment> pick) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(pick.get().id(), 1, Integer::sum);
    }
    return counts;
  }

  private void sampleLatency(Deployment d, Duration latency) {
    DeploymentStats.InFlightCall call = stats.begin(d.id(), 0);
    clock.advance(latency);
    call.succeeded(null);
  }

  private void sampleStream(Deployment d, Duration firstToken, Duration total) {
    DeploymentStats.InFlightCall call = stats.begin(d.id(), 0);
    clock.advance(firstToken);
    call.firstToken();
    clock.advance(total.minus(firstToken));
    call.succeeded(null);
  }

  @Test
  void roundRobinTakesTheCandidatesInTurn() {
    RoundRobinStrategy strategy = new RoundRobinStrategy();
    List<Deployment> candidates = List.of(x, y, z);
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      order.append(strategy.choose(candidates, request, blocking, stats).id());
    }
    assertThat(order).hasToString("xyzxyzxyz");
  }

  @Test
  void weightedRandomFollowsTheWeightsWithinFiveSigma() {
    Deployment light = Deployment.builder("light", "p/a").weight(1).build();
    Deployment medium = Deployment.builder("medium", "p/b").weight(2).build();
    Deployment heavy = Deployment.builder("heavy", "p/c").weight(7).build();
    WeightedRandomStrategy strategy = new WeightedRandomStrategy(new SplittableRandom(42));
    List<Deployment> candidates = List.of(light, medium, heavy);

    Map<String, Integer> counts = tally(PICKS, () -> strategy.choose(candidates, request, blocking, stats));

    // Expected 1,000 / 2,000 / 7,000; standard deviations 30 / 40 / 46; bound +-250 (> 5.4 sigma).
    assertThat(counts.get("light")).isBetween(1_000 - 250, 1_000 + 250);
    assertThat(counts.get("medium")).isBetween(2_000 - 250, 2_000 + 250);
    assertThat(counts.get("heavy")).isBetween(7_000 - 250, 7_000 + 250);
  }

  @Test
  void weightZeroIsPickedOnlyWhenEveryCandidateWeighsZero() {
    Deployment drained = Deployment.builder("drained", "p/a").weight(0).build();
    Deployment drained2 = Deployment.builder("drained2", "p/b").weight(0).build();
    WeightedRandomStrategy strategy = new WeightedRandomStrategy(new SplittableRandom(1));

    assertThat(tally(1_000, () -> strategy.choose(List.of(drained, x), request, blocking, stats)))
        .containsOnlyKeys("x");
    assertThat(tally(1_000, () -> strategy.choose(List.of(drained, drained2), request, blocking, stats)))
        .containsOnlyKeys("drained", "drained2");
  }

  @Test
  void leastInFlightPicksTheLeastBusyAndSpreadsTies() {
    stats.begin("x", 0);
    stats.begin("x", 0);
    stats.begin("y", 0);
    LeastInFlightStrategy strategy = new LeastInFlightStrategy(new SplittableRandom(7));

    assertThat(strategy.choose(List.of(x, y, z), request, blocking, stats)).isEqualTo(z);
    stats.begin("z", 0);
    // y and z now have one each: both get picked, x never.
    assertThat(tally(1_000, () -> strategy.choose(List.of(x, y, z), request, blocking, stats)))
        .containsOnlyKeys("y", "z");
  }

  @Test
  void lowestLatencyTriesUnmeasuredDeploymentsFirst() {
    sampleLatency(x, Duration.ofMillis(50));
    LowestLatencyStrategy strategy = new LowestLatencyStrategy(0.1, new SplittableRandom(3));

    assertThat(strategy.choose(List.of(x, y), request, blocking, stats)).isEqualTo(y);
  }

  @Test
  void lowestLatencySharesTheLoadWithinTheBufferOfTheFastest() {
    sampleLatency(x, Duration.ofMillis(100));
    sampleLatency(y, Duration.ofMillis(105)); // within 10% of x
    sampleLatency(z, Duration.ofMillis(200)); // not
    LowestLatencyStrategy strategy = new LowestLatencyStrategy(0.1, new SplittableRandom(5));

    Map<String, Integer> counts = tally(1_000, () -> strategy.choose(List.of(x, y, z), request, blocking, stats));

    // Expected 500 each for x and y (standard deviation 16); bound +-100.
    assertThat(counts).containsOnlyKeys("x", "y");
    assertThat(counts.get("x")).isBetween(400, 600);
    assertThat(counts.get("y")).isBetween(400, 600);
  }

  @Test
  void lowestLatencyWithoutBufferAlwaysPicksTheFastest() {
    sampleLatency(x, Duration.ofMillis(100));
    sampleLatency(y, Duration.ofMillis(101));
    LowestLatencyStrategy strategy = new LowestLatencyStrategy(0, new SplittableRandom(5));

    assertThat(tally(1_000, () -> strategy.choose(List.of(x, y), request, blocking, stats)))
        .containsOnlyKeys("x");
  }

  @Test
  void lowestLatencyRanksStreamsByTimeToFirstToken() {
    sampleStream(x, Duration.ofMillis(500), Duration.ofMillis(600)); // slow to start, quick overall
    sampleStream(y, Duration.ofMillis(50), Duration.ofMillis(2_000)); // quick to start, slow overall
    LowestLatencyStrategy strategy = new LowestLatencyStrategy(0, new SplittableRandom(5));

    assertThat(strategy.choose(List.of(x, y), request, blocking, stats)).isEqualTo(x);
    assertThat(strategy.choose(List.of(x, y), request, streaming, stats)).isEqualTo(y);
  }

  @Test
  void lowestLatencyRejectsANegativeBuffer() {
    assertThatThrownBy(() -> new LowestLatencyStrategy(-0.1)).isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("buffer");
    assertThat(new LowestLatencyStrategy().buffer()).isEqualTo(LowestLatencyStrategy.DEFAULT_BUFFER)
        .isEqualTo(0.1);
  }

  @Test
  void lowestCostPicksTheCheapestAndSpreadsEqualCosts() {
    Map<String, BigDecimal> prices = Map.of("x", new BigDecimal("0.30"), "y", new BigDecimal("0.10"),
        "z", new BigDecimal("0.10"));
    LowestCostStrategy strategy =
        new LowestCostStrategy((d, r) -> prices.get(d.id()), new SplittableRandom(11));

    assertThat(strategy.choose(List.of(x, y), request, blocking, stats)).isEqualTo(y);
    assertThat(tally(1_000, () -> strategy.choose(List.of(x, y, z), request, blocking, stats)))
        .containsOnlyKeys("y", "z");
  }

  @Test
  void lowestCostUsesDeploymentsOfUnknownCostOnlyWhenNoCostIsKnown() {
    LowestCostStrategy strategy = new LowestCostStrategy(
        (d, r) -> d.id().equals("x") ? new BigDecimal("99") : null, new SplittableRandom(11));

    assertThat(tally(100, () -> strategy.choose(List.of(x, y), request, blocking, stats)))
        .containsOnlyKeys("x");
    assertThat(tally(1_000, () -> strategy.choose(List.of(y, z), request, blocking, stats)))
        .containsOnlyKeys("y", "z");
  }

  @Test
  void usageBasedPicksTheMostRequestHeadroomAsAFractionOfCapacity() {
    Deployment small = Deployment.builder("small", "p/a").rpm(10L).build();
    Deployment large = Deployment.builder("large", "p/b").rpm(100L).build();
    for (int i = 0; i < 5; i++) {
      stats.begin("small", 0).succeeded(null); // (10 - 5 - 1) / 10 = 0.4 left
    }
    for (int i = 0; i < 20; i++) {
      stats.begin("large", 0).succeeded(null); // (100 - 20 - 1) / 100 = 0.79 left
    }
    UsageBasedStrategy strategy = new UsageBasedStrategy(TokenEstimator.CHARS_OVER_FOUR, new SplittableRandom(1));

    assertThat(strategy.choose(List.of(small, large), request, blocking, stats)).isEqualTo(large);
    for (int i = 0; i < 50; i++) {
      stats.begin("large", 0).succeeded(null); // (100 - 70 - 1) / 100 = 0.29 left
    }
    assertThat(strategy.choose(List.of(small, large), request, blocking, stats)).isEqualTo(small);
  }

  @Test
  void usageBasedCountsThisRequestsTokensAgainstTokenCapacity() {
    // the request is 400 characters: 100 estimated tokens
    Deployment tight = Deployment.builder("tight", "p/a").tpm(1_000L).build();
    Deployment unlimited = Deployment.of("unlimited", "p/b");
    stats.begin("tight", 850); // 1,000 - 850 - 100 = 50 left: 5%
    UsageBasedStrategy strategy = new UsageBasedStrategy();

    assertThat(strategy.choose(List.of(tight, unlimited), request, blocking, stats)).isEqualTo(unlimited);
    assertThat(UsageBasedStrategy.headroom(tight, stats, 100)).isCloseTo(0.05, offset(1e-9));
  }

  @Test
  void usageBasedHeadroomComesBackInTheNextMinute() {
    Deployment a = Deployment.builder("a", "p/a").rpm(10L).build();
    Deployment b = Deployment.builder("b", "p/b").rpm(10L).build();
    for (int i = 0; i < 9; i++) {
      stats.begin("a", 0).succeeded(null);
    }
    for (int i = 0; i < 5; i++) {
      stats.begin("b", 0).succeeded(null);
    }
    UsageBasedStrategy strategy = new UsageBasedStrategy();
    assertThat(strategy.choose(List.of(a, b), request, blocking, stats)).isEqualTo(b);

    clock.advance(Duration.ofMinutes(1));
    stats.begin("b", 0).succeeded(null);
    assertThat(stats.requestsThisMinute("a")).isZero();
    assertThat(strategy.choose(List.of(a, b), request, blocking, stats)).isEqualTo(a);
  }

  @Test
  void firstAvailableAlwaysPicksTheFirstCandidate() {
    assertThat(tally(100, () -> FirstAvailableStrategy.INSTANCE.choose(List.of(y, x), request, blocking, stats)))
        .containsOnlyKeys("y");
  }
}

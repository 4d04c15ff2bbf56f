package dev.llmgateway.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a benchmark class and its baseline together, several rounds (each a fresh JVM fork), and prints
 * every round's ratio and their median. Ratios, not raw times, because this is a noisy 2-core machine:
 * the baseline measured in the same run absorbs most of the noise.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [rounds] [benchmark-class-regex]
 * </pre>
 */
public final class RatioReport {
  /** Rounds when none are given. */
  public static final int DEFAULT_ROUNDS = 5;

  private RatioReport() {}

  public static void main(String[] args) throws RunnerException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
    String include = args.length > 1 ? args[1] : ChatOverheadBenchmark.class.getSimpleName();
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Options options = new OptionsBuilder()
          .include(include)
          .forks(1)
          .warmupIterations(3).warmupTime(TimeValue.seconds(2))
          .measurementIterations(5).measurementTime(TimeValue.seconds(2))
          .build();
      Collection<RunResult> results = new Runner(options).run();
      double baseline = score(results, "rawOkHttp");
      double gateway = score(results, "gatewayChat");
      double ratio = gateway / baseline;
      ratios.add(ratio);
      System.out.printf(Locale.ROOT, "round %d: raw OkHttp %.1f us/op, gateway %.1f us/op, ratio %.3f%n",
          round, baseline, gateway, ratio);
    }
    List<Double> sorted = new ArrayList<>(ratios);
    sorted.sort(Double::compare);
    double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    System.out.printf(Locale.ROOT, "median ratio gateway/raw over %d rounds: %.3f (rounds: %s)%n",
        rounds, median, ratios);
  }

  private static double score(Collection<RunResult> results, String method) {
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no result for " + method))
        .getPrimaryResult().getScore();
  }
}

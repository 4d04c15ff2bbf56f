package dev.llmgateway.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs benchmark classes several rounds (each a fresh JVM fork) and prints, for every benchmark method,
 * its ratio to the method of the same class whose name starts with {@code baseline}, per round and as
 * the median. Ratios, not raw times, because this is a noisy 2-core machine: a baseline measured in the
 * same run absorbs most of the noise.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [rounds] [benchmark-class-regex]
 * </pre>
 */
public final class RatioReport {
  /** Rounds when none are given. */
  public static final int DEFAULT_ROUNDS = 5;
  /** Benchmarks run when no regex is given: all of them. */
  public static final String DEFAULT_INCLUDE = "dev.llmgateway.benchmarks.*";

  private RatioReport() {}

  public static void main(String[] args) throws RunnerException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
    String include = args.length > 1 ? args[1] : DEFAULT_INCLUDE;
    Map<String, List<Double>> ratios = new TreeMap<>();
    for (int round = 1; round <= rounds; round++) {
      Options options = new OptionsBuilder()
          .include(include)
          .forks(1)
          .warmupIterations(3).warmupTime(TimeValue.seconds(1))
          .measurementIterations(5).measurementTime(TimeValue.seconds(1))
          .build();
      Collection<RunResult> results = new Runner(options).run();
      Map<String, Double> baselines = new TreeMap<>();
      for (RunResult r : results) {
        String[] name = split(r);
        if (name[1].startsWith("baseline")) {
          baselines.put(name[0], r.getPrimaryResult().getScore());
        }
      }
      for (RunResult r : results) {
        String[] name = split(r);
        Double baseline = baselines.get(name[0]);
        if (baseline == null || name[1].startsWith("baseline")) {
          continue;
        }
        double score = r.getPrimaryResult().getScore();
        double ratio = score / baseline;
        ratios.computeIfAbsent(name[0] + "." + name[1], k -> new ArrayList<>()).add(ratio);
        System.out.printf(Locale.ROOT, "round %d: %s.%s %s %s vs baseline %s: ratio %s%n", round,
            name[0], name[1], number(score), r.getPrimaryResult().getScoreUnit(), number(baseline),
            number(ratio));
      }
    }
    ratios.forEach((name, list) -> System.out.printf(Locale.ROOT,
        "median ratio %s over %d rounds: %s (rounds: %s)%n", name, list.size(), number(median(list)),
        format(list)));
  }

  private static String[] split(RunResult r) {
    String full = r.getParams().getBenchmark();
    int method = full.lastIndexOf('.');
    String cls = full.substring(full.lastIndexOf('.', method - 1) + 1, method);
    return new String[] {cls, full.substring(method + 1)};
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(List<Double> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(number(v)));
    return String.join(", ", out);
  }

  /**
   * Three decimals, as before, for values of 0.1 and more; four significant digits below, so that a
   * ratio of a few nanoseconds to a loopback call does not print as 0.000.
   */
  static String number(double value) {
    return Math.abs(value) >= 0.1 || value == 0
        ? String.format(Locale.ROOT, "%.3f", value)
        : String.format(Locale.ROOT, "%.4g", value);
  }
}

package dev.llmgateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Measures the guard's heuristics (default rules and thresholds, no classifier) on the labelled corpus in
 * {@code src/test/resources/guard}: attacks of every category the guard knows, and benign prompts with
 * near misses (a previous email's typo, security discussions quoting attack phrases, base64 images,
 * hashes, system requirements). The floors below are those stated in {@code docs/safety.md}; the
 * corpus was written together with the rules, so the numbers are in-sample and flatter the guard.
 */
class PromptInjectionCorpusTest {
  /** The documented floors. */
  static final double MIN_PRECISION = 0.95;
  static final double MIN_RECALL = 0.90;

  private final PromptInjectionGuard guard = PromptInjectionGuard.withDefaults();

  @Test
  void theCorpusHasAtLeastAHundredPromptsOfEachKind() {
    assertThat(Corpus.read("injection-attacks.tsv")).hasSizeGreaterThanOrEqualTo(100);
    assertThat(Corpus.read("injection-benign.tsv")).hasSizeGreaterThanOrEqualTo(100);
  }

  @Test
  void precisionAndRecallOnTheCorpusMeetTheDocumentedFloors() {
    List<String> missed = new ArrayList<>();
    List<String> falseAlarms = new ArrayList<>();
    int truePositives = 0;
    for (Corpus.Entry e : Corpus.read("injection-attacks.tsv")) {
      if (refused(e)) {
        truePositives++;
      } else {
        missed.add(e + "  " + describe(e));
      }
    }
    int attacks = truePositives + missed.size();
    int falsePositives = 0;
    int benign = 0;
    for (Corpus.Entry e : Corpus.read("injection-benign.tsv")) {
      benign++;
      if (refused(e)) {
        falsePositives++;
        falseAlarms.add(e + "  " + describe(e));
      }
    }
    double precision = truePositives / (double) (truePositives + falsePositives);
    double recall = truePositives / (double) attacks;
    System.out.printf(Locale.ROOT,
        "prompt-injection corpus: %d attacks, %d benign; TP=%d FN=%d FP=%d; precision=%.3f recall=%.3f%n",
        attacks, benign, truePositives, missed.size(), falsePositives, precision, recall);
    missed.forEach(m -> System.out.println("  missed: " + m));
    falseAlarms.forEach(f -> System.out.println("  false alarm: " + f));
    assertThat(precision).as("precision").isGreaterThanOrEqualTo(MIN_PRECISION);
    assertThat(recall).as("recall").isGreaterThanOrEqualTo(MIN_RECALL);
  }

  private boolean refused(Corpus.Entry e) {
    return guard.evaluate(e.asRequest()).stream().anyMatch(GuardDecision::blocked);
  }

  private String describe(Corpus.Entry e) {
    return guard.evaluate(e.asRequest()).stream()
        .map(d -> String.format(Locale.ROOT, "%s=%.2f%s", d.stage(), d.score(), d.matchedRules()))
        .toList().toString();
  }
}

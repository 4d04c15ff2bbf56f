package dev.llmgateway.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.redaction.LabelledCorpus.Sentence;
import dev.llmgateway.redaction.LabelledCorpus.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Measures the built-in detectors on the labelled corpus: precision and recall per type, counting only
 * exact spans of the right type as found. Prints the table (quoted in docs/safety.md) and holds e-mail,
 * card, IBAN and every key shape to at least 0.95.
 */
class PiiCorpusPrecisionRecallTest {
  private static final List<String> KEY_SHAPES = List.of("OPENAI_KEY", "ANTHROPIC_KEY", "AWS_ACCESS_KEY",
      "AWS_SECRET_KEY", "GITHUB_TOKEN", "JWT", "PRIVATE_KEY");
  private static final List<String> ORDER = List.of("EMAIL", "PHONE", "CARD", "IBAN", "SSN", "IPV4",
      "IPV6", "OPENAI_KEY", "ANTHROPIC_KEY", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "GITHUB_TOKEN", "JWT",
      "PRIVATE_KEY");

  /** True and false positives and negatives of one type. */
  static final class Score {
    int truePositives;
    int falsePositives;
    int falseNegatives;

    void add(Score other) {
      truePositives += other.truePositives;
      falsePositives += other.falsePositives;
      falseNegatives += other.falseNegatives;
    }

    double precision() {
      int predicted = truePositives + falsePositives;
      return predicted == 0 ? 1.0 : (double) truePositives / predicted;
    }

    double recall() {
      int expected = truePositives + falseNegatives;
      return expected == 0 ? 1.0 : (double) truePositives / expected;
    }
  }

  private static List<Sentence> corpus;
  private static final Map<String, Score> scores = new LinkedHashMap<>();
  private static final List<String> mistakes = new ArrayList<>();

  @BeforeAll
  static void measure() {
    corpus = LabelledCorpus.load();
    ORDER.forEach(t -> scores.put(t, new Score()));
    RedactionPolicy policy = RedactionPolicy.defaults();
    for (Sentence s : corpus) {
      Set<Span> expected = new HashSet<>(s.spans());
      Set<Span> predicted = new HashSet<>();
      for (PiiMatch m : policy.detect(s.text())) {
        predicted.add(new Span(m.type().name(), m.start(), m.end()));
      }
      for (Span p : predicted) {
        Score score = scores.computeIfAbsent(p.type(), k -> new Score());
        if (expected.contains(p)) {
          score.truePositives++;
        } else {
          score.falsePositives++;
          mistakes.add("line " + s.line() + " false positive " + p.type() + " '"
              + s.text().substring(p.start(), p.end()) + "'");
        }
      }
      for (Span e : expected) {
        if (!predicted.contains(e)) {
          scores.computeIfAbsent(e.type(), k -> new Score()).falseNegatives++;
          mistakes.add("line " + s.line() + " missed " + e.type() + " '"
              + s.text().substring(e.start(), e.end()) + "'");
        }
      }
    }
    printTable();
  }

  private static void printTable() {
    StringBuilder table = new StringBuilder();
    long pii = corpus.stream().filter(s -> s.kind().equals("pii")).count();
    long near = corpus.stream().filter(s -> s.kind().equals("near")).count();
    table.append(String.format(Locale.ROOT, "corpus: %d sentences (%d with PII, %d near misses, %d clean)%n",
        corpus.size(), pii, near, corpus.size() - pii - near));
    table.append("| type | labelled | found | false positives | missed | precision | recall |\n");
    table.append("|---|---:|---:|---:|---:|---:|---:|\n");
    Score keys = new Score();
    Score all = new Score();
    for (Map.Entry<String, Score> e : scores.entrySet()) {
      row(table, e.getKey(), e.getValue());
      if (KEY_SHAPES.contains(e.getKey())) {
        keys.add(e.getValue());
      }
      all.add(e.getValue());
    }
    row(table, "all key shapes", keys);
    row(table, "all types", all);
    System.out.println(table);
    mistakes.forEach(m -> System.out.println("  " + m));
  }

  private static void row(StringBuilder table, String name, Score s) {
    table.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.3f | %.3f |%n", name,
        s.truePositives + s.falseNegatives, s.truePositives, s.falsePositives, s.falseNegatives,
        s.precision(), s.recall()));
  }

  @Test
  void corpusHasAtLeast300SentencesWithNearMissesAndCleanOnes() {
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
    assertThat(corpus).filteredOn(s -> s.kind().equals("near")).hasSizeGreaterThanOrEqualTo(60);
    assertThat(corpus).filteredOn(s -> s.kind().equals("clean")).hasSizeGreaterThanOrEqualTo(40);
    for (String type : ORDER) {
      assertThat(corpus.stream().flatMap(s -> s.spans().stream()).filter(sp -> sp.type().equals(type)))
          .as("labelled %s values", type).hasSizeGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void emailPrecisionAndRecallAreAtLeast095() {
    assertAtLeast("EMAIL", scores.get("EMAIL"));
  }

  @Test
  void cardPrecisionAndRecallAreAtLeast095() {
    assertAtLeast("CARD", scores.get("CARD"));
  }

  @Test
  void ibanPrecisionAndRecallAreAtLeast095() {
    assertAtLeast("IBAN", scores.get("IBAN"));
  }

  @Test
  void everyKeyShapeHasPrecisionAndRecallOfAtLeast095() {
    Score keys = new Score();
    for (String type : KEY_SHAPES) {
      assertAtLeast(type, scores.get(type));
      keys.add(scores.get(type));
    }
    assertAtLeast("all key shapes", keys);
  }

  @Test
  void theOtherTypesStayAboveAFloorSoRegressionsShow() {
    for (String type : List.of("PHONE", "SSN", "IPV4", "IPV6")) {
      Score s = scores.get(type);
      assertThat(s.precision()).as("%s precision", type).isGreaterThanOrEqualTo(0.9);
      assertThat(s.recall()).as("%s recall", type).isGreaterThanOrEqualTo(0.9);
    }
  }

  private static void assertAtLeast(String type, Score s) {
    assertThat(s.precision()).as("%s precision", type).isGreaterThanOrEqualTo(0.95);
    assertThat(s.recall()).as("%s recall", type).isGreaterThanOrEqualTo(0.95);
  }
}

package dev.llmgateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The semantic cache with real vectors from a real small model (all-MiniLM-L6-v2), on the labelled pairs
 * in {@code cache/semantic-pairs.tsv}: for each pair, question A is asked and its answer stored, then
 * question B is asked. A paraphrase pair should hit; a near-miss or unrelated pair must not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SemanticCacheRealEmbeddingsTest {
  /** The hit rate on paraphrases at the default threshold must not fall below this. */
  static final double HIT_RATE_FLOOR = 0.75;
  /** The false-hit rate on near misses and unrelated questions at the default threshold must not exceed this. */
  static final double FALSE_HIT_RATE_CEILING = 0.05;

  record Pair(boolean shouldHit, String kind, String a, String b) {}

  record Rates(int hits, int paraphrases, int falseHits, int misses, int nearMissFalseHits, int nearMisses) {
    double hitRate() {
      return (double) hits / paraphrases;
    }

    double falseHitRate() {
      return (double) falseHits / misses;
    }
  }

  private MiniLmEmbeddingClient embeddings;
  private List<Pair> pairs;

  @BeforeAll
  void loadModelAndPairs() throws IOException {
    embeddings = new MiniLmEmbeddingClient();
    pairs = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/cache/semantic-pairs.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        pairs.add(new Pair(f[0].equals("HIT"), f[1], f[2], f[3]));
      }
    }
  }

  /** Runs every pair through a fresh cache at {@code threshold}. */
  private Rates measure(double threshold) {
    int hits = 0;
    int paraphrases = 0;
    int falseHits = 0;
    int misses = 0;
    int nearFalse = 0;
    int near = 0;
    for (Pair pair : pairs) {
      Upstream upstream = new Upstream();
      SemanticCacheInterceptor cache = SemanticCacheInterceptor
          .builder(embeddings, MiniLmEmbeddingClient.MODEL).similarityThreshold(threshold).build();
      upstream.answer = r -> Upstream.text("answer to: " + r.messages().get(r.messages().size() - 1).text());
      upstream.call(cache, ask(pair.a()));
      String answer = upstream.call(cache, ask(pair.b())).text();
      boolean hit = upstream.calls.get() == 1;
      if (hit) {
        assertThat(answer).isEqualTo("answer to: " + pair.a());
      }
      if (pair.shouldHit()) {
        paraphrases++;
        hits += hit ? 1 : 0;
      } else {
        misses++;
        falseHits += hit ? 1 : 0;
        if (pair.kind().equals("near-miss")) {
          near++;
          nearFalse += hit ? 1 : 0;
        }
      }
    }
    return new Rates(hits, paraphrases, falseHits, misses, nearFalse, near);
  }

  private static ChatRequest ask(String question) {
    return ChatRequest.builder().model("fast").system("You answer briefly.").user(question)
        .temperature(0.0).build();
  }

  @Test
  void theLabelledSetHasAtLeastFiftyPairsOfEachKind() {
    assertThat(pairs).hasSizeGreaterThanOrEqualTo(50);
    assertThat(pairs).filteredOn(Pair::shouldHit).hasSizeGreaterThanOrEqualTo(25);
    assertThat(pairs).filteredOn(p -> p.kind().equals("near-miss")).hasSizeGreaterThanOrEqualTo(15);
  }

  @Test
  void paraphrasesHitAndOtherQuestionsMissAtTheDefaultThreshold() {
    Rates rates = measure(SemanticCacheInterceptor.DEFAULT_SIMILARITY_THRESHOLD);
    System.out.printf(Locale.ROOT,
        "semantic cache, all-MiniLM-L6-v2, threshold %.2f: hit rate %d/%d = %.3f, false-hit rate %d/%d = %.3f"
            + " (near misses %d/%d)%n", SemanticCacheInterceptor.DEFAULT_SIMILARITY_THRESHOLD, rates.hits(),
        rates.paraphrases(), rates.hitRate(), rates.falseHits(), rates.misses(), rates.falseHitRate(),
        rates.nearMissFalseHits(), rates.nearMisses());
    assertThat(rates.hitRate()).isGreaterThanOrEqualTo(HIT_RATE_FLOOR);
    assertThat(rates.falseHitRate()).isLessThanOrEqualTo(FALSE_HIT_RATE_CEILING);
  }

  @Test
  void aHigherThresholdNeverHitsMoreOften() {
    Rates strict = measure(0.97);
    Rates loose = measure(0.80);
    System.out.printf(Locale.ROOT, "threshold 0.80: hits %d/%d, false hits %d/%d; threshold 0.97: hits %d/%d,"
        + " false hits %d/%d%n", loose.hits(), loose.paraphrases(), loose.falseHits(), loose.misses(),
        strict.hits(), strict.paraphrases(), strict.falseHits(), strict.misses());
    assertThat(strict.hits()).isLessThanOrEqualTo(loose.hits());
    assertThat(strict.falseHits()).isLessThanOrEqualTo(loose.falseHits());
  }
}

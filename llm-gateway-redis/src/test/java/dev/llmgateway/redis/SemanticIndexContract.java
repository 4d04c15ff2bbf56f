package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.cache.CacheEntry;
import dev.llmgateway.cache.SemanticIndex;
import dev.llmgateway.cache.SemanticIndex.Match;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The {@link SemanticIndex} contract, run against the in-memory and the Redis index alike: the nearest
 * entry of the scope at or above the threshold, by cosine similarity; other scopes, other dimensions and
 * expired entries never match; the same question stored again replaces the first. Expiry is judged by each
 * index's own clock (the system ticker, Redis {@code TIME}), so the expiry test awaits it.
 */
abstract class SemanticIndexContract {
  static final Duration LONG = Duration.ofMinutes(5);

  /** An index with nothing in it. */
  abstract SemanticIndex index();

  static CacheEntry entry(String answer) {
    ChatResponse response = ChatResponse.builder().id("r-" + answer).model("m1").provider("test")
        .message(Message.assistant(answer)).finishReason(FinishReason.STOP).rawFinishReason("stop")
        .usage(Usage.of(12, 7)).build();
    return new CacheEntry(response, "group-a", Instant.parse("2025-06-01T12:00:00.5Z"));
  }

  static float[] v(float... components) {
    return components;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void findsTheMostSimilarEntryAtOrAboveTheThreshold() {
    SemanticIndex index = index();
    index.add("s", v(1, 0, 0), entry("fox"), LONG);
    index.add("s", v(0, 1, 0), entry("dog"), LONG);
    index.add("s", v(0.7f, 0.7f, 0.1f), entry("both"), LONG);
    float[] query = v(0.9f, 0.2f, 0);

    Match match = index.nearest("s", query, 0.9);

    assertThat(match).isNotNull();
    assertThat(match.entry()).isEqualTo(entry("fox"));
    assertThat(match.similarity()).isCloseTo(cosine(query, v(1, 0, 0)), within(1e-5));
    assertThat(index.nearest("s", v(0, 1, 0.01f), 0.9).entry()).isEqualTo(entry("dog"));
  }

  @Test
  void missesWhenTheNearestIsBelowTheThreshold() {
    SemanticIndex index = index();
    index.add("s", v(1, 0, 0), entry("fox"), LONG);
    float[] query = v(0.8f, 0.6f, 0); // cosine 0.8

    assertThat(index.nearest("s", query, 0.81)).isNull();
    assertThat(index.nearest("s", query, 0.79)).isNotNull()
        .satisfies(m -> assertThat(m.similarity()).isCloseTo(0.8, within(1e-5)));
  }

  @Test
  void comparesDirectionsNotLengths() {
    SemanticIndex index = index();
    index.add("s", v(3, 4), entry("long"), LONG);

    Match match = index.nearest("s", v(0.03f, 0.04f), 0.999);

    assertThat(match).isNotNull();
    assertThat(match.similarity()).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void anEmptyScopeMisses() {
    assertThat(index().nearest("nothing here", v(1, 0), -1)).isNull();
  }

  @Test
  void vectorsOfAnotherDimensionNeverMatch() {
    SemanticIndex index = index();
    index.add("s", v(1, 0, 0), entry("three"), LONG);

    assertThat(index.nearest("s", v(1, 0, 0, 0), -1)).as("even at the lowest threshold").isNull();
    assertThat(index.nearest("s", v(1, 0), -1)).isNull();

    index.add("s", v(0, 0, 0, 1), entry("four"), LONG);
    assertThat(index.nearest("s", v(1, 0, 0, 0), -1).entry()).isEqualTo(entry("four"));
    assertThat(index.nearest("s", v(0, 0, 1), -1).entry()).isEqualTo(entry("three"));
  }

  @Test
  void scopesAreIsolated() {
    SemanticIndex index = index();
    index.add("tenant-a", v(1, 0), entry("a"), LONG);
    index.add("tenant-b", v(0, 1), entry("b"), LONG);

    assertThat(index.nearest("tenant-a", v(0, 1), -1).entry()).isEqualTo(entry("a"));
    assertThat(index.nearest("tenant-b", v(1, 0), -1).entry()).isEqualTo(entry("b"));
    assertThat(index.nearest("tenant-c", v(1, 0), -1)).isNull();
  }

  @Test
  void storingTheSameQuestionAgainReplacesTheFirstAnswer() {
    SemanticIndex index = index();
    index.add("s", v(1, 2, 3), entry("first"), LONG);
    index.add("s", v(2, 4, 6), entry("second"), LONG);
    index.add("s", v(0, 0, 1), entry("other"), LONG);

    assertThat(index.nearest("s", v(1, 2, 3), 0.99).entry()).isEqualTo(entry("second"));
    assertThat(index.nearest("s", v(0, 0, 1), 0.99).entry()).isEqualTo(entry("other"));
  }

  @Test
  void entriesExpireAfterTheirOwnTtl() {
    SemanticIndex index = index();
    index.add("s", v(1, 0), entry("brief"), Duration.ofMillis(50));
    index.add("s", v(0, 1), entry("lasting"), LONG);

    // the index's clock expires it; poll (bounded) rather than sleep
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> index.nearest("s", v(1, 0), 0.99) == null);
    assertThat(index.nearest("s", v(1, 0), -1).entry()).as("an expired entry never matches")
        .isEqualTo(entry("lasting"));
  }
}

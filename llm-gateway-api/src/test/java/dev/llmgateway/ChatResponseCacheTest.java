package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.InvalidRequestException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChatResponseCacheTest {
  private static final CacheInfo EXACT_HIT = new CacheInfo(CacheInfo.Source.EXACT, Duration.ofSeconds(42),
      Usage.of(1000, 500), new BigDecimal("0.00045"), "USD", null);

  private static ChatResponse answer() {
    return ChatResponse.builder().model("m").provider("p").message(Message.assistant("hi")).build();
  }

  @Test
  void aBuiltResponseCameFromAProviderByDefault() {
    assertThat(ChatResponse.DEFAULT_CACHE).isNull();
    assertThat(answer().cache()).isEqualTo(ChatResponse.DEFAULT_CACHE);
    assertThat(answer().cached()).isFalse();
  }

  @Test
  void toBuilderWithCostAndWithAttemptsKeepTheCacheInfo() {
    ChatResponse hit = answer().toBuilder().cache(EXACT_HIT).build();

    assertThat(hit.cached()).isTrue();
    assertThat(hit.cache()).isEqualTo(EXACT_HIT);
    assertThat(hit.toBuilder().build()).isEqualTo(hit);
    assertThat(hit.withCost(null).cache()).isEqualTo(EXACT_HIT);
    assertThat(hit.withAttempts(java.util.List.of()).cache()).isEqualTo(EXACT_HIT);
    assertThat(answer().withCache(EXACT_HIT)).isEqualTo(hit);
    assertThat(hit.withCache(null).cached()).isFalse();
  }

  @Test
  void aSemanticHitCarriesItsSimilarityAndOnlyASemanticHitDoes() {
    CacheInfo semantic = new CacheInfo(CacheInfo.Source.SEMANTIC, Duration.ZERO, Usage.ZERO, null, null,
        0.93);
    assertThat(semantic.similarity()).isEqualTo(0.93);

    assertThatThrownBy(() -> new CacheInfo(CacheInfo.Source.SEMANTIC, Duration.ZERO, Usage.ZERO, null,
        null, null)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("similarity");
    assertThatThrownBy(() -> new CacheInfo(CacheInfo.Source.EXACT, Duration.ZERO, Usage.ZERO, null, null,
        0.5)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("similarity");
  }

  @Test
  void aSavedCostNeedsItsCurrencyAndAnAgeCannotBeNegative() {
    assertThatThrownBy(() -> new CacheInfo(CacheInfo.Source.EXACT, Duration.ZERO, Usage.ZERO,
        BigDecimal.ONE, null, null)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("currency");
    assertThatThrownBy(() -> new CacheInfo(CacheInfo.Source.EXACT, Duration.ofSeconds(-1), Usage.ZERO,
        null, null, null)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("age");
  }
}

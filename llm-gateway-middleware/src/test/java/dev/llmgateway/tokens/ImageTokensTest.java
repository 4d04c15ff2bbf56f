package dev.llmgateway.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The published worked examples of OpenAI's vision guide ("Calculating costs") and Anthropic's vision
 * guide.
 */
class ImageTokensTest {

  @Test
  void tilesMatchOpenAisWorkedExamples() {
    // 1024 x 1024 at high detail: no resize to fit 2048, shorter side scaled to 768 -> 768 x 768,
    // 4 tiles: 170 x 4 + 85 = 765
    assertThat(ImageTokens.openAiTiles(1024, 1024, false, 85, 170)).isEqualTo(765);
    // 2048 x 4096: fit to 1024 x 2048, shorter side to 768 -> 768 x 1536, 6 tiles: 170 x 6 + 85 = 1105
    assertThat(ImageTokens.openAiTiles(2048, 4096, false, 85, 170)).isEqualTo(1105);
    // 4096 x 8192 at low detail: 85 whatever the size
    assertThat(ImageTokens.openAiTiles(4096, 8192, true, 85, 170)).isEqualTo(85);
    // small images are never scaled up: 500 x 500 is one tile
    assertThat(ImageTokens.openAiTiles(500, 500, false, 85, 170)).isEqualTo(255);
  }

  @Test
  void patchesMatchOpenAisWorkedExamples() {
    // 1024 x 1024: 32 x 32 = 1024 patches, under the 1536 cap
    assertThat(ImageTokens.openAiPatches(1024, 1024, BigDecimal.ONE)).isEqualTo(1024);
    // 1800 x 2400: 57 x 75 = 4275 patches > 1536; shrink sqrt(1024 x 1536 / 4320000) = 0.6034, then to
    // whole patches across (33/33.94) -> 1056 x 1408 px = 33 x 44 = 1452 patches
    assertThat(ImageTokens.openAiPatches(1800, 2400, BigDecimal.ONE)).isEqualTo(1452);
    // GPT-4.1 mini bills 1.62 per patch: 1024 x 1.62 = 1658.88 -> 1659
    assertThat(ImageTokens.openAiPatches(1024, 1024, new BigDecimal("1.62"))).isEqualTo(1659);
  }

  @Test
  void anthropicCountsPixelsOverSevenFifty() {
    // 1000 x 1000 = 1,000,000 / 750 = 1333.3 -> 1334
    assertThat(ImageTokens.anthropic(1000, 1000)).isEqualTo(1334);
    // 200 x 200 = 40,000 / 750 = 53.3 -> 54
    assertThat(ImageTokens.anthropic(200, 200)).isEqualTo(54);
    // a huge image is scaled to 1568 on its long edge and capped at 1600 tokens
    assertThat(ImageTokens.anthropic(8000, 8000)).isEqualTo(ImageTokens.ANTHROPIC_MAX_TOKENS);
  }
}

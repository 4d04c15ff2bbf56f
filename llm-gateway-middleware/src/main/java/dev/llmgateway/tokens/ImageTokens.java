package dev.llmgateway.tokens;

import dev.llmgateway.ContentPart;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * What an image costs in input tokens, by the formulas the providers publish. The image's size is read
 * from the header of inline (base64 or data-URL) PNG, GIF, JPEG and WebP images; images given by URL are
 * never fetched, so their size is unknown and a documented default applies instead.
 *
 * <ul>
 *   <li><b>OpenAI tiles</b> (GPT-4o, GPT-4.1, GPT-4.5, o1, o3 and, by assumption, other OpenAI models
 *       not listed below), from OpenAI's vision guide, "Calculating costs": {@code detail: low} costs
 *       {@value #OPENAI_BASE_TOKENS} tokens; otherwise the image is scaled down to fit a 2048 px square,
 *       then down until its shorter side is at most 768 px, and costs {@value #OPENAI_BASE_TOKENS} plus
 *       {@value #OPENAI_TILE_TOKENS} per 512 px tile (a 1024x1024 image: 765 tokens; 2048x4096: 1105).
 *       GPT-4o mini bills the same tiles as {@value #GPT_4O_MINI_BASE_TOKENS} +
 *       {@value #GPT_4O_MINI_TILE_TOKENS} per tile. {@code detail: auto} or none is treated as high, the
 *       larger of the two, because these counts reserve budget.
 *   <li><b>OpenAI patches</b> (GPT-4.1 mini x1.62, GPT-4.1 nano x2.46, o4-mini x1.72): 32 px patches,
 *       at most 1536 (larger images are scaled down to fit), times the model's multiplier, rounded up.
 *   <li><b>Anthropic</b> (Claude), from Anthropic's vision guide: an image whose long edge exceeds 1568 px
 *       is scaled down to it; it then costs width x height / 750 tokens, rounded up, at most
 *       {@value #ANTHROPIC_MAX_TOKENS}.
 * </ul>
 *
 * <p>Unknown sizes: OpenAI tiles assume a 1024x1024 image at high detail, 4 tiles
 * ({@value #OPENAI_UNKNOWN_SIZE_TOKENS} tokens on most models; {@code detail: low} still costs the base);
 * patch models assume the {@value #OPENAI_MAX_PATCHES}-patch cap times their multiplier; Anthropic
 * assumes {@value #ANTHROPIC_MAX_TOKENS}, the most one image can cost there.
 */
public final class ImageTokens {
  /** OpenAI's fixed cost of an image, and of every image at {@code detail: low}. */
  public static final int OPENAI_BASE_TOKENS = 85;
  /** OpenAI's cost per 512 px tile at high detail. */
  public static final int OPENAI_TILE_TOKENS = 170;
  /** GPT-4o mini's fixed cost of an image. */
  public static final int GPT_4O_MINI_BASE_TOKENS = 2833;
  /** GPT-4o mini's cost per tile. */
  public static final int GPT_4O_MINI_TILE_TOKENS = 5667;
  /** The most 32 px patches OpenAI's patch-based models look at. */
  public static final int OPENAI_MAX_PATCHES = 1536;
  /** What an OpenAI image of unknown size is assumed to cost at high detail: a 1024x1024 image. */
  public static final int OPENAI_UNKNOWN_SIZE_TOKENS = 765;
  /** The longest edge Anthropic keeps before scaling an image down. */
  public static final int ANTHROPIC_MAX_EDGE = 1568;
  /** The most one image costs on Anthropic, and what one of unknown size is assumed to cost. */
  public static final int ANTHROPIC_MAX_TOKENS = 1600;

  private ImageTokens() {}

  /** Whether {@code image} asks for OpenAI's low detail. */
  public static boolean lowDetail(ContentPart.Image image) {
    return image.detail() != null && image.detail().toLowerCase(Locale.ROOT).equals("low");
  }

  /**
   * OpenAI's tile formula for an image of {@code width} x {@code height} pixels.
   *
   * @param baseTokens the fixed cost ({@value #OPENAI_BASE_TOKENS} for most models)
   * @param tileTokens the cost per 512 px tile ({@value #OPENAI_TILE_TOKENS} for most models)
   */
  public static long openAiTiles(int width, int height, boolean lowDetail, int baseTokens,
      int tileTokens) {
    if (lowDetail) {
      return baseTokens;
    }
    double w = width;
    double h = height;
    double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
    w *= fit;
    h *= fit;
    double shortSide = Math.min(w, h);
    if (shortSide > 768) {
      double scale = 768.0 / shortSide;
      w *= scale;
      h *= scale;
    }
    long tiles = ceilDiv(w, 512) * ceilDiv(h, 512);
    return baseTokens + tiles * tileTokens;
  }

  /**
   * OpenAI's patch formula: 32 px patches, scaled down to at most {@value #OPENAI_MAX_PATCHES}, times
   * {@code multiplier}, rounded up.
   */
  public static long openAiPatches(int width, int height, BigDecimal multiplier) {
    double w = width;
    double h = height;
    long patches = ceilDiv(w, 32) * ceilDiv(h, 32);
    if (patches > OPENAI_MAX_PATCHES) {
      double shrink = Math.sqrt(32.0 * 32.0 * OPENAI_MAX_PATCHES / (w * h));
      double across = w * shrink / 32;
      double down = h * shrink / 32;
      shrink *= Math.min(Math.floor(across) / across, Math.floor(down) / down);
      patches = ceilDiv(w * shrink, 32) * ceilDiv(h * shrink, 32);
    }
    return BigDecimal.valueOf(patches).multiply(multiplier).setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }

  /** Anthropic's formula: width x height / 750 after scaling the long edge down to 1568 px. */
  public static long anthropic(int width, int height) {
    double w = width;
    double h = height;
    double scale = Math.min(1.0, ANTHROPIC_MAX_EDGE / Math.max(w, h));
    long pixels = Math.round(w * scale) * Math.round(h * scale);
    return Math.min(ANTHROPIC_MAX_TOKENS, (pixels + 749) / 750);
  }

  /** How many tiles of {@code tile} pixels cover {@code length}, tolerating floating-point noise. */
  private static long ceilDiv(double length, int tile) {
    return (long) Math.ceil(length / tile - 1e-9);
  }
}

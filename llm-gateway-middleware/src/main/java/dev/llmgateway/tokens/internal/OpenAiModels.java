package dev.llmgateway.tokens.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which OpenAI model families use which tokenizer and which image formula. A model name is matched by
 * prefix after dropping an {@code openai/} prefix (as OpenRouter names models), so dated snapshots
 * ({@code gpt-4o-2024-08-06}) and fine-tunes ({@code ft:gpt-4o-mini:...}) follow their family.
 */
public final class OpenAiModels {
  /** The o200k_base tokenizer. */
  public static final String O200K_BASE = "o200k_base";
  /** The cl100k_base tokenizer. */
  public static final String CL100K_BASE = "cl100k_base";

  /** The image formula of a model: tiles with a base and a per-tile cost, or patches with a multiplier. */
  public record ImageRule(int baseTokens, int tileTokens, @Nullable BigDecimal patchMultiplier) {
    static ImageRule tiles(int base, int tile) {
      return new ImageRule(base, tile, null);
    }

    static ImageRule patches(String multiplier) {
      return new ImageRule(0, 0, new BigDecimal(multiplier));
    }
  }

  private record Family(String prefix, String encoding, ImageRule images) {}

  private static final ImageRule TILES = ImageRule.tiles(85, 170);

  // Longest prefixes first: the first match wins.
  private static final List<Family> FAMILIES = List.of(
      new Family("gpt-4o-mini", O200K_BASE, ImageRule.tiles(2833, 5667)),
      new Family("gpt-4.1-mini", O200K_BASE, ImageRule.patches("1.62")),
      new Family("gpt-4.1-nano", O200K_BASE, ImageRule.patches("2.46")),
      new Family("o4-mini", O200K_BASE, ImageRule.patches("1.72")),
      new Family("chatgpt-4o", O200K_BASE, TILES),
      new Family("gpt-4o", O200K_BASE, TILES),
      new Family("gpt-4.1", O200K_BASE, TILES),
      new Family("gpt-4.5", O200K_BASE, TILES),
      new Family("gpt-5", O200K_BASE, TILES),
      new Family("o1", O200K_BASE, TILES),
      new Family("o3", O200K_BASE, TILES),
      new Family("o4", O200K_BASE, TILES),
      new Family("gpt-4", CL100K_BASE, TILES),
      new Family("gpt-3.5", CL100K_BASE, TILES),
      new Family("text-embedding-ada-002", CL100K_BASE, TILES),
      new Family("text-embedding-3", CL100K_BASE, TILES));

  private OpenAiModels() {}

  /** The tokenizer of {@code model}, or null when it is not a known OpenAI family. */
  public static @Nullable String encoding(String model) {
    Family family = family(model);
    return family == null ? null : family.encoding();
  }

  /** The image formula of {@code model}; OpenAI's tile formula for models not listed. */
  public static ImageRule images(String model) {
    Family family = family(model);
    return family == null ? TILES : family.images();
  }

  private static @Nullable Family family(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    if (name.startsWith("openai/")) {
      name = name.substring("openai/".length());
    }
    if (name.startsWith("ft:")) {
      name = name.substring(3);
    }
    for (Family family : FAMILIES) {
      if (name.startsWith(family.prefix())) {
        return family;
      }
    }
    return null;
  }
}

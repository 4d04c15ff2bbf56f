package dev.llmgateway.catalog;

import dev.llmgateway.internal.Require;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One model in a {@link ModelCatalog}: its limits, capabilities and prices.
 *
 * @param provider the gateway's provider name, e.g. {@code openai}, {@code anthropic}, {@code gemini}
 * @param model the provider's model id, e.g. {@code gpt-4o}
 * @param aliases other ids that mean exactly this model (e.g. Anthropic's dated id
 *     {@code claude-opus-4-20250514} for {@code claude-opus-4-0}); empty for none
 * @param contextWindow the most tokens (input and output together) the model accepts
 * @param maxOutputTokens the most output tokens one response may have; null where the provider does not
 *     publish a separate limit (no check is made then)
 * @param capabilities what the model can do
 * @param pricing prices per million tokens; null where no price is known (cost cannot be computed)
 * @param note a remark on the entry (how its prices were verified, deprecation); null for none
 */
public record ModelInfo(String provider, String model, List<String> aliases, int contextWindow,
    @Nullable Integer maxOutputTokens, ModelCapabilities capabilities, @Nullable ModelPricing pricing,
    @Nullable String note) {

  public ModelInfo {
    Require.nonBlank(provider, "modelInfo.provider");
    Require.nonBlank(model, "modelInfo.model");
    checkName(provider, "modelInfo.provider");
    checkName(model, "modelInfo.model");
    aliases = Require.copyOf(aliases, "modelInfo.aliases");
    Set<String> names = new HashSet<>();
    names.add(model);
    for (String alias : aliases) {
      checkName(alias, "modelInfo.aliases");
      Require.check(names.add(alias), "modelInfo.aliases of " + provider + "/" + model
          + " repeat the name '" + alias + "'");
    }
    Require.check(contextWindow > 0, "modelInfo.contextWindow must be > 0, was " + contextWindow);
    Require.check(maxOutputTokens == null || maxOutputTokens > 0,
        "modelInfo.maxOutputTokens must be > 0, was " + maxOutputTokens);
    Require.nonNull(capabilities, "modelInfo.capabilities");
    Require.check(note == null || !note.isBlank(), "modelInfo.note must be null or not blank");
  }

  private static void checkName(String name, String field) {
    Require.check(!name.isBlank() && name.chars().noneMatch(c -> Character.isWhitespace(c) || c == ','),
        field + " must be non-blank without spaces or commas, was '" + name + "'");
  }

  /** A model with the given limits, capabilities and pricing, and no aliases or note. */
  public static ModelInfo of(String provider, String model, int contextWindow,
      @Nullable Integer maxOutputTokens, ModelCapabilities capabilities, @Nullable ModelPricing pricing) {
    return new ModelInfo(provider, model, List.of(), contextWindow, maxOutputTokens, capabilities,
        pricing, null);
  }

  /** {@code provider/model}. */
  public String id() {
    return provider + "/" + model;
  }
}

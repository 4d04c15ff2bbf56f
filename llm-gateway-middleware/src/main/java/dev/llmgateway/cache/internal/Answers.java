package dev.llmgateway.cache.internal;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.catalog.PriceTier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What both caches decide about answers: which may be stored, how a hit is replayed and priced. */
public final class Answers {
  private Answers() {}

  /**
   * Whether {@code response} is a complete, successful answer worth storing: it finished naturally or
   * with tool calls, and carries no refusal. Truncated ({@code LENGTH}), content-filtered, errored or
   * unexplained ({@code OTHER}: a stream that never said why it ended) answers are not.
   */
  public static boolean cacheable(ChatResponse response) {
    FinishReason reason = response.finishReason();
    if (response.refusal() != null) {
      return false;
    }
    return reason == FinishReason.STOP
        || (reason == FinishReason.TOOL_CALLS && !response.toolCalls().isEmpty());
  }

  /** The answer a hit returns: the stored one with zero usage, since no tokens were consumed. */
  public static ChatResponse asHit(ChatResponse stored) {
    return stored.toBuilder().usage(Usage.ZERO).build();
  }

  /**
   * The chunks a streaming hit replays, which {@link dev.llmgateway.ChatResponseAccumulator} assembles
   * back into {@code response}: a start, one delta per content part in order (thinking, text, whole tool
   * calls with their index), the refusal if any, the usage and the finish.
   */
  public static List<ChatChunk> replay(ChatResponse response) {
    List<ChatChunk> chunks = new ArrayList<>(response.message().content().size() + 3);
    chunks.add(new ChatChunk.Start(response.id(), response.model(), response.provider(),
        response.requestId()));
    int toolIndex = 0;
    for (ContentPart part : response.message().content()) {
      if (part instanceof ContentPart.Text t) {
        chunks.add(new ChatChunk.TextDelta(t.text()));
      } else if (part instanceof ContentPart.Thinking h) {
        chunks.add(new ChatChunk.ThinkingDelta(h.text(), h.signature(), h.redacted()));
      } else if (part instanceof ContentPart.ToolCall c) {
        chunks.add(new ChatChunk.ToolCallDelta(toolIndex++, c.id(), c.name(), c.arguments()));
      }
    }
    if (response.refusal() != null) {
      chunks.add(new ChatChunk.RefusalDelta(response.refusal()));
    }
    chunks.add(new ChatChunk.UsageUpdate(response.usage()));
    chunks.add(new ChatChunk.Finish(response.finishReason(), response.rawFinishReason()));
    return chunks;
  }

  /** The money {@code usage} costs at the catalog's prices for the model that answered. */
  public record Money(BigDecimal amount, String currency) {}

  /** What {@code usage} of {@code provider}/{@code model} costs, or null when the catalog has no price. */
  public static @Nullable Money price(ModelCatalog catalog, String provider, String model, Usage usage) {
    if (provider.isBlank() || model.isBlank()) {
      return null;
    }
    Optional<ModelInfo> info = catalog.find(provider, model);
    ModelPricing pricing = info.map(ModelInfo::pricing).orElse(null);
    if (pricing == null) {
      return null;
    }
    PriceTier tier = pricing.tierFor(usage.inputTokens());
    long cached = Math.min(usage.cachedInputTokens(), usage.inputTokens());
    long written = Math.min(usage.cacheWriteInputTokens(), usage.inputTokens() - cached);
    long plainInput = usage.inputTokens() - cached - written;
    long reasoning = Math.min(usage.reasoningTokens(), usage.outputTokens());
    long plainOutput = usage.outputTokens() - reasoning;
    BigDecimal total = PriceTier.cost(plainInput, tier.input())
        .add(PriceTier.cost(cached, tier.cachedInputReadOrInput()))
        .add(PriceTier.cost(written, tier.cachedInputWriteOrInput()))
        .add(PriceTier.cost(plainOutput, tier.output()))
        .add(PriceTier.cost(reasoning, tier.reasoningOrOutput()));
    return new Money(total, pricing.currency());
  }
}

package dev.llmgateway;

import dev.llmgateway.internal.Require;
import org.jspecify.annotations.Nullable;

/**
 * One event of a streamed answer. Every adapter translates its wire events into these, so interceptors
 * and callers handle one vocabulary. {@link ChatResponseAccumulator} turns a sequence of them back into
 * a {@link ChatResponse}.
 */
public sealed interface ChatChunk
    permits ChatChunk.Start, ChatChunk.TextDelta, ChatChunk.ThinkingDelta, ChatChunk.RefusalDelta,
        ChatChunk.ToolCallDelta, ChatChunk.UsageUpdate, ChatChunk.Finish {

  /**
   * Identifies the response; usually first. Any field may be null when the provider has not said yet.
   */
  record Start(@Nullable String id, @Nullable String model, @Nullable String provider,
      @Nullable String requestId) implements ChatChunk {}

  /** More answer text. */
  record TextDelta(String text) implements ChatChunk {
    public TextDelta {
      Require.nonNull(text, "text");
    }
  }

  /**
   * More reasoning text, or the signature that closes a thinking block.
   *
   * @param text reasoning text (may be empty when only the signature arrives)
   * @param signature the block's signature; null until it arrives
   * @param redacted whether the block is redacted (the signature then carries the data)
   */
  record ThinkingDelta(String text, @Nullable String signature, boolean redacted)
      implements ChatChunk {
    public ThinkingDelta {
      Require.nonNull(text, "text");
    }
  }

  /** More refusal text (OpenAI streams refusals apart from content). */
  record RefusalDelta(String text) implements ChatChunk {
    public RefusalDelta {
      Require.nonNull(text, "text");
    }
  }

  /**
   * A fragment of a tool call. The first fragment of a call carries its id and name; later ones carry
   * pieces of the JSON arguments. Fragments are matched to calls by {@code index} where the provider
   * sends one; {@link ChatResponseAccumulator} copes with providers that send none, or the same index for
   * every call.
   *
   * @param index the provider's call index; null when it sent none
   * @param id the call id, on the first fragment of a call; null otherwise
   * @param name the function name, on the first fragment of a call; null otherwise
   * @param argumentsDelta the next piece of the JSON arguments; may be empty
   */
  record ToolCallDelta(@Nullable Integer index, @Nullable String id, @Nullable String name,
      String argumentsDelta) implements ChatChunk {
    public ToolCallDelta {
      Require.nonNull(argumentsDelta, "argumentsDelta");
    }
  }

  /** Token usage so far; cumulative, so the last one is the total. */
  record UsageUpdate(Usage usage) implements ChatChunk {
    public UsageUpdate {
      Require.nonNull(usage, "usage");
    }
  }

  /** Why generation stopped, with the provider's own value. */
  record Finish(FinishReason reason, @Nullable String rawReason) implements ChatChunk {
    public Finish {
      Require.nonNull(reason, "reason");
    }
  }
}

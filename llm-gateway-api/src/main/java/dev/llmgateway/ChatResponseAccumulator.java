package dev.llmgateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds the blocking {@link ChatResponse} from a stream of {@link ChatChunk}s. There is one of these
 * for every stream in the library, so a streamed answer and a blocking one always agree.
 *
 * <p>Tool-call fragments are matched to calls robustly, because providers disagree on indexes: a
 * fragment that carries an id different from the call currently at its index starts a new call (some
 * servers send index 0 for every call); a fragment without an index continues the latest call unless it
 * carries a new id (Mistral sends none); indexes need not start at 0 (Anthropic's OpenAI-compatible
 * endpoint starts at 1). A call whose arguments never arrived gets {@code "{}"}.
 *
 * <p>Not thread-safe: one stream, one accumulator.
 */
public final class ChatResponseAccumulator {

  private final List<Object> parts = new ArrayList<>(); // StringBuilder-backed slots, in order
  private final Map<Integer, ToolSlot> toolByIndex = new HashMap<>();
  private @Nullable ToolSlot lastTool;
  private final StringBuilder refusal = new StringBuilder();
  private boolean sawRefusal;
  private @Nullable String id;
  private @Nullable String model;
  private @Nullable String provider;
  private @Nullable String requestId;
  private @Nullable Usage usage;
  private @Nullable FinishReason finishReason;
  private @Nullable String rawFinishReason;
  private int chunks;

  private static final class TextSlot {
    final StringBuilder text = new StringBuilder();
  }

  private static final class ThinkingSlot {
    final StringBuilder text = new StringBuilder();
    @Nullable String signature;
    boolean redacted;
  }

  private static final class ToolSlot {
    @Nullable String id;
    @Nullable String name;
    final StringBuilder arguments = new StringBuilder();
  }

  /** Folds one chunk in. */
  public void accept(ChatChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    chunks++;
    if (chunk instanceof ChatChunk.Start s) {
      id = firstNonNull(s.id(), id);
      model = firstNonNull(s.model(), model);
      provider = firstNonNull(s.provider(), provider);
      requestId = firstNonNull(s.requestId(), requestId);
    } else if (chunk instanceof ChatChunk.TextDelta t) {
      Object last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
      TextSlot slot = last instanceof TextSlot ts ? ts : add(new TextSlot());
      slot.text.append(t.text());
    } else if (chunk instanceof ChatChunk.ThinkingDelta t) {
      Object last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
      ThinkingSlot slot = last instanceof ThinkingSlot ts && ts.signature == null ? ts : add(new ThinkingSlot());
      slot.text.append(t.text());
      if (t.signature() != null) {
        slot.signature = t.signature();
      }
      slot.redacted |= t.redacted();
    } else if (chunk instanceof ChatChunk.RefusalDelta r) {
      sawRefusal = true;
      refusal.append(r.text());
    } else if (chunk instanceof ChatChunk.ToolCallDelta d) {
      acceptToolDelta(d);
    } else if (chunk instanceof ChatChunk.UsageUpdate u) {
      usage = u.usage();
    } else if (chunk instanceof ChatChunk.Finish f) {
      finishReason = f.reason();
      rawFinishReason = f.rawReason();
    }
  }

  private void acceptToolDelta(ChatChunk.ToolCallDelta d) {
    ToolSlot target = d.index() != null ? toolByIndex.get(d.index()) : lastTool;
    boolean startsNewCall = target == null
        || (d.id() != null && target.id != null && !d.id().equals(target.id))
        || (d.id() == null && d.name() != null && target.name != null && d.index() == null);
    if (startsNewCall) {
      target = add(new ToolSlot());
      if (d.index() != null) {
        toolByIndex.put(d.index(), target);
      }
    }
    if (d.id() != null) {
      target.id = d.id();
    }
    if (d.name() != null) {
      target.name = target.name == null ? d.name() : target.name;
    }
    target.arguments.append(d.argumentsDelta());
    lastTool = target;
  }

  private <T> T add(T slot) {
    parts.add(slot);
    return slot;
  }

  private static @Nullable String firstNonNull(@Nullable String a, @Nullable String b) {
    return a != null ? a : b;
  }

  /** How many chunks were folded in. */
  public int chunkCount() {
    return chunks;
  }

  /** Whether a {@link ChatChunk.Finish} was seen. */
  public boolean finished() {
    return finishReason != null;
  }

  /** The usage seen so far, or null when none arrived. */
  public @Nullable Usage usage() {
    return usage;
  }

  /**
   * The response assembled from everything accepted so far. A stream that never said why it finished is
   * reported as {@link FinishReason#OTHER} with a null raw reason.
   */
  public ChatResponse build() {
    List<ContentPart> content = new ArrayList<>();
    int toolNumber = 0;
    for (Object slot : parts) {
      if (slot instanceof TextSlot t) {
        content.add(new ContentPart.Text(t.text.toString()));
      } else if (slot instanceof ThinkingSlot t) {
        content.add(new ContentPart.Thinking(t.text.toString(), t.signature, t.redacted));
      } else if (slot instanceof ToolSlot t) {
        String args = t.arguments.length() == 0 ? "{}" : t.arguments.toString();
        String callId = t.id != null ? t.id : "call_" + toolNumber;
        content.add(new ContentPart.ToolCall(callId, t.name != null ? t.name : "unknown", args));
        toolNumber++;
      }
    }
    if (content.isEmpty()) {
      content.add(new ContentPart.Text(""));
    }
    return ChatResponse.builder()
        .id(id)
        .model(model != null ? model : "")
        .provider(provider != null ? provider : "")
        .message(new Message(Role.ASSISTANT, content))
        .finishReason(finishReason != null ? finishReason : FinishReason.OTHER)
        .rawFinishReason(rawFinishReason)
        .usage(usage != null ? usage : Usage.ZERO)
        .refusal(sawRefusal ? refusal.toString() : null)
        .requestId(requestId)
        .build();
  }
}

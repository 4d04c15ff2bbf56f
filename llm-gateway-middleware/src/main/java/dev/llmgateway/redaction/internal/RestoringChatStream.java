package dev.llmgateway.redaction.internal;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatStream;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stream whose text, refusal and tool-call argument deltas have the call's placeholders put back, as
 * the caller pulls. A placeholder split across chunks is completed from the next chunk; only a possible
 * placeholder prefix is held back (see {@link PlaceholderRestorer}), and it is let go as soon as a chunk
 * of another kind that ends the text (thinking, a tool call, the finish) or the end of the stream comes.
 * Start and usage chunks pass through at once, as they do not belong to any text.
 */
public final class RestoringChatStream implements ChatStream {
  private final ChatStream source;
  private final PlaceholderVault vault;
  private final PlaceholderRestorer text;
  private final PlaceholderRestorer refusal;
  private final ArrayDeque<ChatChunk> ready = new ArrayDeque<>();
  private @Nullable ToolChannel tool;
  private boolean ended;

  /** The tool call whose argument deltas are being restored. */
  private static final class ToolChannel {
    final @Nullable Integer index;
    @Nullable String id;
    @Nullable String name;
    final PlaceholderRestorer restorer;

    ToolChannel(@Nullable Integer index, @Nullable String id, @Nullable String name,
        PlaceholderRestorer restorer) {
      this.index = index;
      this.id = id;
      this.name = name;
      this.restorer = restorer;
    }
  }

  public RestoringChatStream(ChatStream source, PlaceholderVault vault) {
    this.source = Objects.requireNonNull(source, "source");
    this.vault = vault;
    this.text = new PlaceholderRestorer(vault, false);
    this.refusal = new PlaceholderRestorer(vault, false);
  }

  @Override
  public @Nullable ChatChunk next() {
    while (ready.isEmpty()) {
      if (ended) {
        return null;
      }
      ChatChunk chunk = source.next();
      if (chunk == null) {
        flushAll();
        ended = true;
      } else {
        accept(chunk);
      }
    }
    return ready.poll();
  }

  private void accept(ChatChunk chunk) {
    if (chunk instanceof ChatChunk.TextDelta t) {
      flushTool();
      String out = text.feed(t.text());
      if (out.equals(t.text())) {
        ready.add(t);
      } else if (!out.isEmpty()) {
        ready.add(new ChatChunk.TextDelta(out));
      }
    } else if (chunk instanceof ChatChunk.RefusalDelta r) {
      String out = refusal.feed(r.text());
      if (out.equals(r.text())) {
        ready.add(r);
      } else if (!out.isEmpty()) {
        ready.add(new ChatChunk.RefusalDelta(out));
      }
    } else if (chunk instanceof ChatChunk.ToolCallDelta d) {
      flushText();
      acceptToolDelta(d);
    } else if (chunk instanceof ChatChunk.Start || chunk instanceof ChatChunk.UsageUpdate) {
      ready.add(chunk);
    } else {
      // Thinking, finish: the text and tool call before them are over.
      flushAll();
      ready.add(chunk);
    }
  }

  private void acceptToolDelta(ChatChunk.ToolCallDelta d) {
    ToolChannel current = tool;
    boolean newCall = current == null
        || !Objects.equals(d.index(), current.index)
        || (d.id() != null && current.id != null && !d.id().equals(current.id))
        || (d.index() == null && d.id() == null && d.name() != null && current.name != null);
    if (newCall) {
      flushTool();
      current = new ToolChannel(d.index(), d.id(), d.name(), new PlaceholderRestorer(vault, true));
      tool = current;
    } else {
      current.id = d.id() != null ? d.id() : current.id;
      current.name = d.name() != null ? d.name() : current.name;
    }
    String out = current.restorer.feed(d.argumentsDelta());
    if (out.equals(d.argumentsDelta())) {
      ready.add(d);
    } else if (!out.isEmpty() || d.id() != null || d.name() != null) {
      ready.add(new ChatChunk.ToolCallDelta(d.index(), d.id(), d.name(), out));
    }
  }

  private void flushText() {
    String rest = text.flush();
    if (!rest.isEmpty()) {
      ready.add(new ChatChunk.TextDelta(rest));
    }
  }

  private void flushTool() {
    ToolChannel current = tool;
    if (current != null) {
      String rest = current.restorer.flush();
      if (!rest.isEmpty()) {
        ready.add(new ChatChunk.ToolCallDelta(current.index, null, null, rest));
      }
    }
  }

  private void flushAll() {
    flushText();
    String rest = refusal.flush();
    if (!rest.isEmpty()) {
      ready.add(new ChatChunk.RefusalDelta(rest));
    }
    flushTool();
    tool = null;
  }

  /** Characters held back right now across all channels; for tests of the hold-back bound. */
  public int heldBack() {
    ToolChannel current = tool;
    return text.pendingLength() + refusal.pendingLength()
        + (current == null ? 0 : current.restorer.pendingLength());
  }

  @Override
  public void close() {
    source.close();
  }
}

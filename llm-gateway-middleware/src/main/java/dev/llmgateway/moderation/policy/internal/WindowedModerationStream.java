package dev.llmgateway.moderation.policy.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.moderation.ModerationResult;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Moderates a stream's text as it is pulled, in windows. Text deltas are appended to a pending buffer;
 * when it holds at least {@code windowChars} characters, the last {@code overlapChars} characters of the
 * previous window followed by the pending text are moderated, before the chunk that filled the window is
 * passed on. The remainder is moderated when the source ends, before the end is passed on. A phrase split
 * across chunks lands in one window; one split across two windows is caught when it is no longer than the
 * overlap plus one character.
 *
 * <p>Without hold-back, chunks of a window are passed on as they arrive, so up to {@code windowChars - 1}
 * characters of a violating passage can reach the caller before the window is checked. With hold-back,
 * text chunks (and the chunks behind them) are held until their window passed, so nothing unchecked
 * reaches the caller, at the cost of delivering text a window at a time.
 *
 * <p>What to do with a window's result is the caller's {@code onWindow} function: it returns null to go
 * on, or the exception that ends the stream. The exception is then thrown by this and every later
 * {@link #next()}, and the source is closed (cancelling its HTTP call).
 */
public final class WindowedModerationStream implements ChatStream {

  /** One moderated window: its text, and where it lies in the answer's text. */
  public record Window(String text, long from, long to, ModerationResult result) {}

  /** Moderates one window's text. */
  @FunctionalInterface
  public interface WindowModerator {
    ModerationResult moderate(String text, CallContext context);
  }

  private final ChatStream source;
  private final WindowModerator moderator;
  private final CallContext context;
  private final int windowChars;
  private final int overlapChars;
  private final boolean holdBack;
  private final Function<Window, @Nullable LlmException> onWindow;
  private final Runnable onEnd;
  private final StringBuilder pending = new StringBuilder();
  private final ArrayDeque<ChatChunk> held = new ArrayDeque<>();
  private final ArrayDeque<ChatChunk> ready = new ArrayDeque<>();
  private String tail = "";
  private long checkedUpTo;
  private boolean sourceEnded;
  private @Nullable LlmException failure;

  /**
   * @param onWindow told of every window's result; returns the exception that ends the stream, or null
   * @param onEnd run once when the source ended and every window passed
   */
  public WindowedModerationStream(ChatStream source, WindowModerator moderator, CallContext context,
      int windowChars, int overlapChars, boolean holdBack,
      Function<Window, @Nullable LlmException> onWindow, Runnable onEnd) {
    this.source = Objects.requireNonNull(source, "source");
    this.moderator = Objects.requireNonNull(moderator, "moderator");
    this.context = Objects.requireNonNull(context, "context");
    this.windowChars = windowChars;
    this.overlapChars = overlapChars;
    this.holdBack = holdBack;
    this.onWindow = Objects.requireNonNull(onWindow, "onWindow");
    this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
  }

  @Override
  public @Nullable ChatChunk next() {
    if (failure != null) {
      throw failure;
    }
    return holdBack ? nextHeld() : nextPassing();
  }

  private @Nullable ChatChunk nextPassing() {
    ChatChunk chunk = source.next();
    if (chunk == null) {
      finish();
      return null;
    }
    if (chunk instanceof ChatChunk.TextDelta t) {
      pending.append(t.text());
      if (pending.length() >= windowChars) {
        check();
      }
    }
    return chunk;
  }

  private @Nullable ChatChunk nextHeld() {
    while (true) {
      if (!ready.isEmpty()) {
        return ready.poll();
      }
      if (sourceEnded) {
        return null;
      }
      ChatChunk chunk = source.next();
      if (chunk == null) {
        finish();
        ready.addAll(held);
        held.clear();
        continue;
      }
      if (chunk instanceof ChatChunk.TextDelta t) {
        held.add(chunk);
        pending.append(t.text());
        if (pending.length() >= windowChars) {
          check();
          ready.addAll(held);
          held.clear();
        }
      } else if (held.isEmpty()) {
        return chunk;
      } else {
        held.add(chunk);
      }
    }
  }

  private void finish() {
    if (sourceEnded) {
      return;
    }
    if (pending.length() > 0) {
      check();
    }
    sourceEnded = true;
    onEnd.run();
  }

  private void check() {
    String text = tail + pending;
    long from = checkedUpTo - tail.length();
    long to = checkedUpTo + pending.length();
    ModerationResult result;
    try {
      result = Objects.requireNonNull(moderator.moderate(text, context), "moderation result");
    } catch (LlmException e) {
      fail(e);
      throw e;
    }
    LlmException stop = onWindow.apply(new Window(text, from, to, result));
    checkedUpTo = to;
    tail = text.length() <= overlapChars ? text : text.substring(text.length() - overlapChars);
    pending.setLength(0);
    if (stop != null) {
      fail(stop);
      throw stop;
    }
  }

  private void fail(LlmException e) {
    failure = e;
    held.clear();
    ready.clear();
    source.close();
  }

  @Override
  public void close() {
    source.close();
  }
}

package dev.llmgateway.prompt;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatStream;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A streamed answer to a prompt ({@link PromptClient#stream}), with what produced it: the chunks are the
 * gateway's stream, unchanged, and {@link #selection()} says which prompt version and experiment variant
 * were sent, known before the first chunk arrives. Close it (try-with-resources) like any
 * {@link ChatStream}: closing early cancels the call.
 */
public final class PromptStream implements ChatStream {
  private final ChatStream stream;
  private final PromptSelection selection;

  PromptStream(ChatStream stream, PromptSelection selection) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.selection = Objects.requireNonNull(selection, "selection");
  }

  /** The prompt version, model group and experiment assignment the request was rendered from. */
  public PromptSelection selection() {
    return selection;
  }

  /** The experiment variant's name; null when the prompt was not in an experiment. */
  public @Nullable String variant() {
    return selection.variant();
  }

  @Override
  public @Nullable ChatChunk next() {
    return stream.next();
  }

  @Override
  public void close() {
    stream.close();
  }

  @Override
  public String toString() {
    return "PromptStream[" + selection.ref() + "]";
  }
}

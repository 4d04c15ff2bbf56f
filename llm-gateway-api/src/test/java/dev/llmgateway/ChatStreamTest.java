package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.StreamClosedException;
import dev.llmgateway.error.StreamInterruptedException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ChatStreamTest {
  private static final List<ChatChunk> CHUNKS = List.of(new ChatChunk.TextDelta("a"),
      new ChatChunk.TextDelta("b"), new ChatChunk.Finish(FinishReason.STOP, "stop"));

  private static final class Outcome implements ChatStream.StreamObserver {
    final List<String> events = new ArrayList<>();

    @Override
    public void onComplete(ChatResponse response) {
      events.add("complete " + response.text());
    }

    @Override
    public void onError(LlmException error, ChatResponse partial) {
      events.add("error " + partial.text());
    }

    @Override
    public void onClosedEarly(ChatResponse partial) {
      events.add("closed " + partial.text());
    }
  }

  @Test
  void iteratesEveryChunk() {
    List<ChatChunk> seen = new ArrayList<>();
    try (ChatStream stream = ChatStream.of(CHUNKS)) {
      stream.forEach(seen::add);
    }
    assertThat(seen).isEqualTo(CHUNKS);
  }

  @Test
  void observerSeesCompletionOnce() {
    Outcome outcome = new Outcome();
    ChatStream stream = ChatStream.of(CHUNKS).observeEnd(outcome);
    stream.collect();
    stream.close();
    assertThat(outcome.events).containsExactly("complete ab");
  }

  @Test
  void observerSeesEarlyCloseWithThePartialAnswer() {
    Outcome outcome = new Outcome();
    ChatStream stream = ChatStream.of(CHUNKS).observeEnd(outcome);
    stream.next();
    stream.close();
    assertThat(outcome.events).containsExactly("closed a");
    assertThatThrownBy(stream::next).isInstanceOf(StreamClosedException.class);
  }

  @Test
  void observerSeesFailureWithThePartialAnswer() {
    Outcome outcome = new Outcome();
    ChatStream failing = new ChatStream() {
      int n;

      @Override
      public @Nullable ChatChunk next() {
        if (n++ == 0) {
          return new ChatChunk.TextDelta("par");
        }
        throw new StreamInterruptedException("cut");
      }

      @Override
      public void close() {}
    };
    ChatStream stream = failing.observeEnd(outcome);
    assertThatThrownBy(stream::collect).isInstanceOf(StreamInterruptedException.class);
    assertThat(outcome.events).containsExactly("error par");
  }

  @Test
  void mapAndPeekTransformLazily() {
    List<ChatChunk> peeked = new ArrayList<>();
    ChatStream stream = ChatStream.of(CHUNKS).peek(peeked::add)
        .map(c -> c instanceof ChatChunk.TextDelta t ? new ChatChunk.TextDelta(t.text() + "!") : c);
    assertThat(peeked).isEmpty();
    assertThat(stream.collect().text()).isEqualTo("a!b!");
    assertThat(peeked).hasSize(3);
  }
}

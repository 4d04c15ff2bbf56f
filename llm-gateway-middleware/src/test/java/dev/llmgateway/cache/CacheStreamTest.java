package dev.llmgateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.StreamInterruptedException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CacheStreamTest {
  private final Upstream upstream = new Upstream();
  private final InMemoryCacheStore store = InMemoryCacheStore.create();
  private final CacheInterceptor cache = CacheInterceptor.builder().store(store).build();

  private static List<ChatChunk> drain(ChatStream stream) {
    List<ChatChunk> chunks = new ArrayList<>();
    try (stream) {
      for (ChatChunk c : stream) {
        chunks.add(c);
      }
    }
    return chunks;
  }

  /** A stream of {@code chunks} that then fails. */
  private static ChatStream failingAfter(List<ChatChunk> chunks) {
    ChatStream source = ChatStream.of(chunks);
    return new ChatStream() {
      @Override
      public @Nullable ChatChunk next() {
        ChatChunk c = source.next();
        if (c == null) {
          throw new StreamInterruptedException("connection reset");
        }
        return c;
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  @Test
  void aCompletedStreamIsStoredAndReplayedAsAStream() {
    upstream.answer = r -> Upstream.text("The quick brown fox.");
    CallContext first = upstream.context(true);
    List<ChatChunk> passed = drain(upstream.stream(cache, Upstream.request("fox?"), first));
    assertThat(passed).isEqualTo(Upstream.chunks(Upstream.text("The quick brown fox.")));
    assertThat(first.get(CacheInterceptor.CACHE_STATUS)).isEqualTo(CacheStatus.MISS);

    CallContext second = upstream.context(true);
    ChatResponse replayed = upstream.stream(cache, Upstream.request("fox?"), second).collect();
    assertThat(upstream.calls).hasValue(1);
    assertThat(replayed.text()).isEqualTo("The quick brown fox.");
    assertThat(replayed.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(replayed.usage()).isEqualTo(Usage.ZERO);
    assertThat(second.get(CacheInterceptor.CACHE_STATUS).savedUsage()).isEqualTo(Usage.of(12, 7));
    assertThat(upstream.cacheHits).hasValue(1);
  }

  @Test
  void aStreamingHitReplaysToolCalls() {
    upstream.answer = r -> Upstream.toolCalls();
    ChatResponse streamed = upstream.stream(cache, Upstream.request("weather?"), upstream.context(true))
        .collect();
    List<ChatChunk> replay = drain(upstream.stream(cache, Upstream.request("weather?"),
        upstream.context(true)));
    assertThat(replay).filteredOn(c -> c instanceof ChatChunk.ToolCallDelta).hasSize(2);
    dev.llmgateway.ChatResponseAccumulator acc = new dev.llmgateway.ChatResponseAccumulator();
    replay.forEach(acc::accept);
    ChatResponse fromReplay = acc.build();
    assertThat(fromReplay.toolCalls()).isEqualTo(Upstream.toolCalls().toolCalls())
        .isEqualTo(streamed.toolCalls());
    assertThat(fromReplay.message()).isEqualTo(Upstream.toolCalls().message());
    assertThat(fromReplay.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(upstream.calls).hasValue(1);
  }

  @Test
  void aBlockingHitIsServedFromAStreamedEntry() {
    upstream.answer = r -> Upstream.toolCalls();
    drain(upstream.stream(cache, Upstream.request("weather?"), upstream.context(true)));
    ChatResponse hit = upstream.call(cache, Upstream.request("weather?"));
    assertThat(hit.message()).isEqualTo(Upstream.toolCalls().message());
    assertThat(hit.id()).isEqualTo("resp-2");
    assertThat(upstream.calls).hasValue(1);
  }

  @Test
  void aStreamingHitIsServedFromABlockingEntry() {
    upstream.call(cache, Upstream.request("fox?"));
    ChatResponse replayed = upstream.stream(cache, Upstream.request("fox?"), upstream.context(true))
        .collect();
    assertThat(replayed.message()).isEqualTo(Upstream.text("answer 1").message());
    assertThat(replayed.provider()).isEqualTo("openai");
    assertThat(replayed.requestId()).isEqualTo("req-1");
    assertThat(upstream.calls).hasValue(1);
  }

  @Test
  void aStreamThatFailsIsNotStored() {
    upstream.stream = r -> failingAfter(Upstream.chunks(Upstream.text("half")).subList(0, 2));
    ChatStream stream = upstream.stream(cache, Upstream.request("fox?"), upstream.context(true));
    assertThatThrownBy(() -> drain(stream)).isInstanceOf(StreamInterruptedException.class);
    assertThat(store.size()).isZero();
  }

  @Test
  void aStreamClosedBeforeItsEndIsNotStored() {
    try (ChatStream stream = upstream.stream(cache, Upstream.request("fox?"), upstream.context(true))) {
      stream.next();
      stream.next();
    }
    assertThat(store.size()).isZero();
    upstream.stream(cache, Upstream.request("fox?"), upstream.context(true)).collect();
    assertThat(upstream.calls).as("the closed stream left nothing behind").hasValue(2);
  }

  @Test
  void aTruncatedStreamIsNotStored() {
    upstream.answer = r -> Upstream.text("cut off").toBuilder().finishReason(FinishReason.LENGTH).build();
    upstream.stream(cache, Upstream.request("fox?"), upstream.context(true)).collect();
    assertThat(store.size()).isZero();
  }

  @Test
  void aStreamWithoutAFinishIsNotStored() {
    upstream.stream = r -> ChatStream.of(List.of(new ChatChunk.TextDelta("no finish")));
    upstream.stream(cache, Upstream.request("fox?"), upstream.context(true)).collect();
    assertThat(store.size()).isZero();
  }
}

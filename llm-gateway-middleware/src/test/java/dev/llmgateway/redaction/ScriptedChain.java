package dev.llmgateway.redaction;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The rest of a pipeline for interceptor tests: records the requests it receives and answers with a
 * scripted response, or a scripted list of chunks for streams.
 */
final class ScriptedChain implements Interceptor.Chain {
  final List<ChatRequest> received = new ArrayList<>();
  final CallContext context;
  Function<ChatRequest, ChatResponse> answer = request -> answer("ok");
  Function<ChatRequest, List<ChatChunk>> chunks = request -> List.of(new ChatChunk.TextDelta("ok"));
  /** The answer text the interceptor has pulled from the scripted stream so far. */
  final StringBuilder pulledText = new StringBuilder();
  int streamsClosed;

  ScriptedChain(boolean streaming) {
    this.context = CallContext.standalone(streaming);
  }

  static ChatResponse answer(String text) {
    return ChatResponse.builder().id("r-1").model("m").provider("scripted")
        .message(Message.assistant(text)).finishReason(FinishReason.STOP).usage(Usage.of(10, 5)).build();
  }

  @Override
  public ChatResponse proceed(ChatRequest request) {
    received.add(request);
    return answer.apply(request);
  }

  @Override
  public CallContext context() {
    return context;
  }

  /** The stream chain view of this chain. */
  Interceptor.StreamChain streams() {
    ScriptedChain self = this;
    return new Interceptor.StreamChain() {
      @Override
      public ChatStream proceed(ChatRequest request) {
        self.received.add(request);
        List<ChatChunk> list = new ArrayList<>();
        list.add(new ChatChunk.Start("r-1", "m", "scripted", null));
        list.addAll(self.chunks.apply(request));
        list.add(new ChatChunk.Finish(FinishReason.STOP, "stop"));
        list.add(new ChatChunk.UsageUpdate(Usage.of(10, 5)));
        ChatStream scripted = ChatStream.of(list).peek(c -> {
          if (c instanceof ChatChunk.TextDelta t) {
            self.pulledText.append(t.text());
          }
        });
        return new ChatStream() {
          @Override
          public ChatChunk next() {
            return scripted.next();
          }

          @Override
          public void close() {
            self.streamsClosed++;
            scripted.close();
          }
        };
      }

      @Override
      public CallContext context() {
        return self.context;
      }
    };
  }

  /** The last request the chain received. */
  ChatRequest last() {
    return received.get(received.size() - 1);
  }
}

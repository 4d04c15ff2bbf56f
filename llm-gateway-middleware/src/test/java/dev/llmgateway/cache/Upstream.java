package dev.llmgateway.cache;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The rest of the pipeline behind a cache under test: counts upstream calls and answers with what its
 * functions say (by default "answer N" for the Nth call, finish STOP, 12 in / 7 out tokens).
 */
final class Upstream {
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger cacheHits = new AtomicInteger();
  volatile Function<ChatRequest, ChatResponse> answer = r -> text("answer " + calls.get());
  volatile Function<ChatRequest, ChatStream> stream = r -> ChatStream.of(chunks(answer.apply(r)));

  final ChatEventListener listener = new ChatEventListener() {
    @Override
    public void onCacheHit(CallContext context) {
      cacheHits.incrementAndGet();
    }
  };

  static ChatResponse text(String text) {
    return ChatResponse.builder().id("resp-1").model("gpt-4o-mini").provider("openai")
        .message(Message.assistant(text)).finishReason(FinishReason.STOP).rawFinishReason("stop")
        .usage(Usage.of(12, 7)).requestId("req-1").build();
  }

  static ChatResponse toolCalls() {
    return ChatResponse.builder().id("resp-2").model("gpt-4o-mini").provider("openai")
        .message(Message.assistant(List.of(new ContentPart.Text("Let me check."),
            new ContentPart.ToolCall("call_a", "weather", "{\"city\":\"Paris\"}"),
            new ContentPart.ToolCall("call_b", "time", "{\"zone\":\"CET\"}"))))
        .finishReason(FinishReason.TOOL_CALLS).rawFinishReason("tool_calls").usage(Usage.of(30, 20))
        .build();
  }

  /** A provider-like stream: text split in two, tool-call arguments in fragments, usage after finish. */
  static List<ChatChunk> chunks(ChatResponse r) {
    List<ChatChunk> out = new ArrayList<>();
    out.add(new ChatChunk.Start(r.id(), r.model(), r.provider(), r.requestId()));
    int index = 0;
    for (ContentPart part : r.message().content()) {
      if (part instanceof ContentPart.Text t) {
        int half = t.text().length() / 2;
        out.add(new ChatChunk.TextDelta(t.text().substring(0, half)));
        out.add(new ChatChunk.TextDelta(t.text().substring(half)));
      } else if (part instanceof ContentPart.ToolCall c) {
        int half = c.arguments().length() / 2;
        out.add(new ChatChunk.ToolCallDelta(index, c.id(), c.name(), ""));
        out.add(new ChatChunk.ToolCallDelta(index, null, null, c.arguments().substring(0, half)));
        out.add(new ChatChunk.ToolCallDelta(index, null, null, c.arguments().substring(half)));
        index++;
      }
    }
    out.add(new ChatChunk.Finish(r.finishReason(), r.rawFinishReason()));
    out.add(new ChatChunk.UsageUpdate(r.usage()));
    return out;
  }

  CallContext context(boolean streaming) {
    return context(CallOptions.DEFAULT, streaming);
  }

  CallContext context(CallOptions options, boolean streaming) {
    return CallContext.create(options, listener, streaming);
  }

  Interceptor.Chain chain(CallContext context) {
    return new Interceptor.Chain() {
      @Override
      public ChatResponse proceed(ChatRequest request) {
        calls.incrementAndGet();
        return answer.apply(request);
      }

      @Override
      public CallContext context() {
        return context;
      }
    };
  }

  Interceptor.StreamChain streamChain(CallContext context) {
    return new Interceptor.StreamChain() {
      @Override
      public ChatStream proceed(ChatRequest request) {
        calls.incrementAndGet();
        return stream.apply(request);
      }

      @Override
      public CallContext context() {
        return context;
      }
    };
  }

  /** A blocking call through {@code cache}; returns the answer and leaves the status in {@code context}. */
  ChatResponse call(Interceptor cache, ChatRequest request, CallContext context) {
    return cache.intercept(request, chain(context));
  }

  ChatResponse call(Interceptor cache, ChatRequest request) {
    return call(cache, request, context(false));
  }

  ChatStream stream(Interceptor cache, ChatRequest request, CallContext context) {
    return cache.interceptStream(request, streamChain(context));
  }

  static ChatRequest request(String question) {
    return ChatRequest.builder().model("fast").user(question).temperature(0.0).build();
  }
}

package dev.llmgateway.prompt.function;

import dev.llmgateway.CallOptions;
import dev.llmgateway.prompt.BlockingOnlyChatClient;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A blocking-only {@link dev.llmgateway.ChatClient} that answers from a script and records what it was sent. */
final class ScriptedChatClient extends BlockingOnlyChatClient {
  final List<ChatRequest> requests = new ArrayList<>();
  final List<CallOptions> options = new ArrayList<>();
  private final Deque<ChatResponse> replies = new ArrayDeque<>();

  ScriptedChatClient answer(String text) {
    return answer(response(text).build());
  }

  ScriptedChatClient answer(ChatResponse response) {
    replies.add(response);
    return this;
  }

  static ChatResponse.Builder response(String text) {
    return ChatResponse.builder().model("gpt-test").provider("openai").message(Message.assistant(text))
        .finishReason(FinishReason.STOP).usage(Usage.of(12, 7)).requestId("req_1");
  }

  ChatRequest lastRequest() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public synchronized ChatResponse chat(ChatRequest request, CallOptions callOptions) {
    requests.add(request);
    options.add(callOptions);
    ChatResponse reply = replies.poll();
    if (reply == null) {
      throw new AssertionError("no scripted reply left");
    }
    return reply;
  }
}

package dev.llmgateway.prompt.http;

import dev.llmgateway.CallOptions;
import dev.llmgateway.prompt.BlockingOnlyChatClient;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A blocking-only {@link dev.llmgateway.ChatClient} whose answers come from a function of the request. */
final class StubChatClient extends BlockingOnlyChatClient {
  final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Function<ChatRequest, ChatResponse> behaviour =
      request -> answer("{\"label\":\"POSITIVE\",\"confidence\":0.9}");

  static ChatResponse answer(String text) {
    return ChatResponse.builder().model("gpt-test").provider("openai").message(Message.assistant(text))
        .finishReason(FinishReason.STOP).usage(Usage.of(10, 5)).build();
  }

  void answerWith(Function<ChatRequest, ChatResponse> behaviour) {
    this.behaviour = behaviour;
  }

  void fail(RuntimeException failure) {
    this.behaviour = request -> {
      throw failure;
    };
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    requests.add(request);
    return behaviour.apply(request);
  }
}

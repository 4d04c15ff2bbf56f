package dev.llmgateway.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.spi.ChatProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The interceptor installed in a real gateway: the provider only ever sees placeholders. */
class RedactionThroughGatewayTest {
  private static final String EMAIL = "jane.doe@example.com";

  /** Answers by quoting the placeholder it received, split awkwardly when streaming. */
  static final class QuotingProvider implements ChatProvider {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "quoting";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      seen.add(request.messages().get(0).text());
      return ChatResponse.builder().model("m").provider("quoting")
          .message(Message.assistant("Mailing <EMAIL_1> now.")).finishReason(FinishReason.STOP)
          .usage(Usage.of(5, 4)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      seen.add(request.messages().get(0).text());
      return ChatStream.of(List.of(new ChatChunk.Start("r", "m", "quoting", null),
          new ChatChunk.TextDelta("Mailing <EM"), new ChatChunk.TextDelta("AIL_"),
          new ChatChunk.TextDelta("1> now."), new ChatChunk.Finish(FinishReason.STOP, "stop"),
          new ChatChunk.UsageUpdate(Usage.of(5, 4))));
    }
  }

  @Test
  void blockingAndStreamingCallsAreRedactedAndRestored() {
    QuotingProvider provider = new QuotingProvider();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).provider(provider)
        .addInterceptor(RedactionInterceptor.withDefaults()).build()) {
      ChatRequest request = ChatRequest.builder().model("quoting/m").user("Mail " + EMAIL).build();

      ChatResponse blocking = gateway.chat(request);
      ChatResponse streamed = gateway.stream(request).collect();

      assertThat(provider.seen).containsExactly("Mail <EMAIL_1>", "Mail <EMAIL_1>");
      assertThat(blocking.text()).isEqualTo("Mailing " + EMAIL + " now.");
      assertThat(streamed.text()).isEqualTo("Mailing " + EMAIL + " now.");
    }
  }
}

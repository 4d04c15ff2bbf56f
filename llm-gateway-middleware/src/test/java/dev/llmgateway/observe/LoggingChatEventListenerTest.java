package dev.llmgateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.spi.ChatProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingChatEventListenerTest {
  private static final String PROMPT = "my card is 4111 1111 1111 1111, PROMPT-MARKER";
  private static final String ANSWER = "ANSWER-MARKER";

  private static final ChatProvider PROVIDER = new ChatProvider() {
    @Override
    public String name() {
      return "p";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      if (request.model().equals("fail")) {
        throw new AuthenticationException("invalid api key", ErrorContext.of("p", "fail").withHttpStatus(401), null);
      }
      return ChatResponse.builder().model("m").provider("p").message(Message.assistant(ANSWER))
          .finishReason(FinishReason.STOP).usage(Usage.of(7, 1)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      return ChatStream.of(java.util.List.of());
    }
  };

  private static ChatRequest request(String model) {
    return ChatRequest.builder().model(model).system("SYSTEM-MARKER").user(PROMPT)
        .metadata(new RequestMetadata("TENANT-MARKER", "USER-MARKER", null, Map.of("tag", "TAG-MARKER")))
        .build();
  }

  @Test
  void logsCallsWithoutPromptAnswerOrMetadataText() {
    CapturingLogger capture = new CapturingLogger();
    try (LlmGateway gateway = LlmGateway.builder().provider(PROVIDER).logging(false)
        .addListener(new LoggingChatEventListener(capture.logger)).build()) {
      gateway.chat(request("m"));
      assertThatThrownBy(() -> gateway.chat(request("fail"))).isInstanceOf(AuthenticationException.class);
    }
    assertThat(capture.lines).anyMatch(l -> l.contains("start model=m messages=2"));
    assertThat(capture.lines).anyMatch(l -> l.contains("end provider=p model=m finish=STOP inputTokens=7"));
    assertThat(capture.lines).anyMatch(l -> l.contains("failed") && l.contains("AuthenticationException"));
    assertThat(capture.lines).allSatisfy(line -> assertThat(line)
        .doesNotContain("PROMPT-MARKER", "4111", "SYSTEM-MARKER", ANSWER, "TENANT-MARKER",
            "USER-MARKER", "TAG-MARKER"));
    assertThat(capture.lines).allMatch(l -> l.startsWith("debug "));
  }

  @Test
  void defaultLoggerNameIsDocumented() {
    assertThat(LoggingChatEventListener.DEFAULT_LOGGER_NAME).isEqualTo("dev.llmgateway.calls");
  }
}

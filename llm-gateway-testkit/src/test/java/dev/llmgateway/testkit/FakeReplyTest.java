package dev.llmgateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeReplyTest {

  @Test
  void builderDefaultsAreTheDocumentedOnes() {
    FakeReply reply = FakeReply.builder().build();

    assertThat(reply.kind()).isEqualTo(FakeReply.Kind.COMPLETION);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).isNull();
    assertThat(reply.hasContent()).isFalse();
    assertThat(reply.toolCalls()).isEmpty();
    assertThat(reply.usage()).isNull();
    assertThat(reply.finishReason()).isNull();
    assertThat(reply.splitter()).isSameAs(FakeReply.DEFAULT_SPLITTER);
    assertThat(reply.chunkDelay()).isEqualTo(FakeReply.DEFAULT_CHUNK_DELAY).isEqualTo(Duration.ZERO);
    assertThat(reply.firstByteDelay()).isEqualTo(FakeReply.DEFAULT_FIRST_BYTE_DELAY).isEqualTo(Duration.ZERO);
    assertThat(reply.disconnectAfterChunks()).isNull();
    assertThat(reply.errorBody()).isNull();
    assertThat(reply.headers()).isEmpty();
  }

  @Test
  void defaultConstantsHaveTheDocumentedValues() {
    assertThat(FakeReply.DEFAULT_FINISH_REASON).isEqualTo("stop");
    assertThat(FakeReply.DEFAULT_TOOL_CALLS_FINISH_REASON).isEqualTo("tool_calls");
    assertThat(FakeReply.DEFAULT_SPLITTER.split("I'm unable to")).containsExactly("I'm", " unable", " to");
    assertThat(FakeReply.DEFAULT_ECHO_PREFIX).isEqualTo("Hello from FakeLlmServer. You said: ");
  }

  @Test
  void factoriesBuildTheNamedKind() {
    assertThat(FakeReply.text("hi").text()).isEqualTo("hi");
    assertThat(FakeReply.toolCall("f", "{}").toolCalls()).containsExactly(FakeToolCall.of("f", "{}"));
    assertThat(FakeReply.connectionReset().kind()).isEqualTo(FakeReply.Kind.CONNECTION_RESET);
    assertThat(FakeReply.malformedJson().kind()).isEqualTo(FakeReply.Kind.MALFORMED_JSON);
    assertThat(FakeReply.disconnectAfterChunks(4).disconnectAfterChunks()).isEqualTo(4);
    assertThat(FakeReply.slowFirstByte(Duration.ofSeconds(3)).firstByteDelay()).isEqualTo(Duration.ofSeconds(3));
    FakeReply error = FakeReply.error(418, "{}");
    assertThat(error.kind()).isEqualTo(FakeReply.Kind.ERROR);
    assertThat(error.status()).isEqualTo(418);
    assertThat(error.errorBody()).isEqualTo("{}");
  }

  @Test
  void rateLimitedRoundsRetryAfterUpToWholeSeconds() {
    assertThat(FakeReply.rateLimited(Duration.ofMillis(1)).headers())
        .containsEntry("retry-after", "1")
        .containsEntry("retry-after-ms", "1");
    assertThat(FakeReply.rateLimited(Duration.ofSeconds(3)).headers())
        .containsEntry("retry-after", "3")
        .containsEntry("retry-after-ms", "3000");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    FakeReply reply = FakeReply.builder()
        .text("t")
        .toolCall("f", "{}")
        .usage(1, 2)
        .finishReason("length")
        .splitter(TextSplitter.whole())
        .chunkDelay(Duration.ofMillis(1))
        .firstByteDelay(Duration.ofMillis(2))
        .disconnectAfterChunks(3)
        .header("X-Custom", "v")
        .build();

    FakeReply copy = reply.toBuilder().build();

    assertThat(copy.text()).isEqualTo("t");
    assertThat(copy.toolCalls()).isEqualTo(reply.toolCalls());
    assertThat(copy.usage()).isEqualTo(FakeUsage.of(1, 2));
    assertThat(copy.finishReason()).isEqualTo("length");
    assertThat(copy.splitter()).isSameAs(reply.splitter());
    assertThat(copy.chunkDelay()).isEqualTo(Duration.ofMillis(1));
    assertThat(copy.firstByteDelay()).isEqualTo(Duration.ofMillis(2));
    assertThat(copy.disconnectAfterChunks()).isEqualTo(3);
    assertThat(copy.headers()).isEqualTo(Map.of("x-custom", "v"));
  }

  @Test
  void faultsRejectContentThatContradictsThem() {
    assertThatThrownBy(() -> FakeReply.builder().text("hi").error(500, "{}").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("text");
    assertThatThrownBy(() -> FakeReply.builder().connectionReset().disconnectAfterChunks(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("disconnectAfterChunks");
    assertThatThrownBy(() -> FakeReply.builder().malformedJson().usage(1, 1).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FakeReply.connectionReset().toBuilder().header("a", "b").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FakeReply.builder().malformedJson().connectionReset())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already");
  }

  @Test
  void rejectsOutOfRangeValues() {
    assertThatThrownBy(() -> FakeReply.error(200, "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeReply.error(600, "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeReply.disconnectAfterChunks(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeReply.slowFirstByte(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeReply.builder().chunkDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeReply.rateLimited(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toolCallsKeepTheirOrder() {
    FakeReply reply = FakeReply.toolCalls(FakeToolCall.of("a", "{}"), FakeToolCall.of("b", "{}"));

    assertThat(reply.toolCalls()).extracting(FakeToolCall::name).containsExactly("a", "b");
    assertThat(reply.hasContent()).isTrue();
  }

  @Test
  void toolCallAndUsageValuesAreValidated() {
    assertThatThrownBy(() -> FakeToolCall.of(" ", "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeUsage.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FakeUsage(1, 1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FakeUsage(1, 1, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new FakeUsage(10, 5, 4, 2).totalTokens()).isEqualTo(15);
  }

  @Test
  void repliesAreImmutable() {
    FakeReply reply = FakeReply.toolCall("f", "{}");

    assertThatThrownBy(() -> reply.toolCalls().add(FakeToolCall.of("g", "{}")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> reply.headers().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(List.of(reply.toString(), FakeReply.serverError(500).toString())).allMatch(s -> !s.isEmpty());
  }
}

package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatResponseAccumulatorTest {

  private static ChatResponse assemble(ChatChunk... chunks) {
    ChatResponseAccumulator acc = new ChatResponseAccumulator();
    for (ChatChunk c : chunks) {
      acc.accept(c);
    }
    return acc.build();
  }

  private static ChatChunk.ToolCallDelta tool(Integer index, String id, String name, String args) {
    return new ChatChunk.ToolCallDelta(index, id, name, args);
  }

  @Test
  void assemblesTextUsageFinishAndIds() {
    ChatResponse r = assemble(new ChatChunk.Start("id1", "gpt", "openai", "req1"),
        new ChatChunk.TextDelta("Hel"), new ChatChunk.TextDelta("lo"),
        new ChatChunk.Finish(FinishReason.STOP, "stop"), new ChatChunk.UsageUpdate(Usage.of(5, 2)));
    assertThat(r.text()).isEqualTo("Hello");
    assertThat(r.id()).isEqualTo("id1");
    assertThat(r.requestId()).isEqualTo("req1");
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(Usage.of(5, 2));
  }

  @Test
  void indexedFragmentsOfParallelCallsAreJoinedPerIndex() {
    ChatResponse r = assemble(tool(0, "a", "f", ""), tool(1, "b", "g", ""), tool(0, null, null, "{\"x\":"),
        tool(1, null, null, "{\"y\":2}"), tool(0, null, null, "1}"));
    assertThat(r.toolCalls()).containsExactly(new ContentPart.ToolCall("a", "f", "{\"x\":1}"),
        new ContentPart.ToolCall("b", "g", "{\"y\":2}"));
  }

  @Test
  void sameIndexForEveryCallStillSeparatesCallsById() {
    ChatResponse r = assemble(tool(0, "a", "f", "{\"x\":"), tool(0, null, null, "1}"),
        tool(0, "b", "g", "{\"y\":"), tool(0, null, null, "2}"));
    assertThat(r.toolCalls()).extracting(ContentPart.ToolCall::id, ContentPart.ToolCall::arguments)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "{\"x\":1}"),
            org.assertj.core.groups.Tuple.tuple("b", "{\"y\":2}"));
  }

  @Test
  void missingIndexesFallBackToOrderAndIds() {
    ChatResponse r = assemble(tool(null, "a", "f", "{\"x\":1}"), tool(null, "b", "g", "{"),
        tool(null, null, null, "}"));
    assertThat(r.toolCalls()).extracting(ContentPart.ToolCall::arguments).containsExactly("{\"x\":1}", "{}");
  }

  @Test
  void indexesNeedNotStartAtZero() {
    ChatResponse r = assemble(tool(1, "a", "f", ""), tool(1, null, null, "{}"), tool(2, "b", "g", ""));
    assertThat(r.toolCalls()).extracting(ContentPart.ToolCall::name).containsExactly("f", "g");
    assertThat(r.toolCalls().get(1).arguments()).isEqualTo("{}");
  }

  @Test
  void keepsTheOrderOfThinkingTextAndToolCalls() {
    ChatResponse r = assemble(new ChatChunk.ThinkingDelta("hmm", null, false),
        new ChatChunk.ThinkingDelta("", "sig", false), new ChatChunk.TextDelta("I will look."),
        tool(0, "a", "f", "{}"));
    assertThat(r.message().content()).containsExactly(new ContentPart.Thinking("hmm", "sig", false),
        new ContentPart.Text("I will look."), new ContentPart.ToolCall("a", "f", "{}"));
  }

  @Test
  void refusalIsKeptApartFromText() {
    ChatResponse r = assemble(new ChatChunk.RefusalDelta("I can't"), new ChatChunk.RefusalDelta(" help"));
    assertThat(r.refusal()).isEqualTo("I can't help");
    assertThat(r.text()).isEmpty();
  }

  @Test
  void streamWithoutFinishIsReportedAsOther() {
    assertThat(assemble(new ChatChunk.TextDelta("x")).finishReason()).isEqualTo(FinishReason.OTHER);
  }

  @Test
  void collectAssemblesTheSameResponseAsTheAccumulator() {
    List<ChatChunk> chunks = List.of(new ChatChunk.TextDelta("a"), new ChatChunk.Finish(FinishReason.LENGTH, "length"));
    assertThat(ChatStream.of(chunks).collect()).isEqualTo(assemble(chunks.toArray(ChatChunk[]::new)));
  }
}

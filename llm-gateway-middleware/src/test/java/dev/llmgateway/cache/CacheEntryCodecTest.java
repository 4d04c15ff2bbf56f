package dev.llmgateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.Usage;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheEntryCodecTest {

  @Test
  void anEntryRoundTripsThroughBytes() {
    ChatResponse response = ChatResponse.builder().id(null).model("claude-x").provider("anthropic")
        .message(new Message(Role.ASSISTANT, List.of(
            new ContentPart.Thinking("hmm, ünïcödé 🦊", "sig", false),
            new ContentPart.Text("Paris."),
            new ContentPart.ToolCall("call_1", "lookup", "{\"q\":\"x\"}"),
            new ContentPart.Image(null, "AAAA", "image/png", "low"),
            new ContentPart.ToolResult("call_1", null, "42", true)), "bot"))
        .finishReason(FinishReason.TOOL_CALLS).rawFinishReason(null)
        .usage(new Usage(100, 50, 20, 10, 5, true)).refusal(null).requestId("req").build();
    CacheEntry entry = new CacheEntry(response, "backup", Instant.parse("2026-11-26T10:00:00.123456789Z"));
    byte[] bytes = CacheEntryCodec.encode(entry);
    assertThat(CacheEntryCodec.decode(bytes)).isEqualTo(entry);
  }

  @Test
  void foreignOrTruncatedBytesAreAFormatError() {
    assertThatThrownBy(() -> CacheEntryCodec.decode("{\"json\":1}".getBytes()))
        .isInstanceOf(CacheEntryFormatException.class);
    byte[] bytes = CacheEntryCodec.encode(new CacheEntry(Upstream.text("hi"), "fast", Instant.EPOCH));
    assertThatThrownBy(() -> CacheEntryCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(CacheEntryFormatException.class);
  }
}

package dev.llmgateway.provider.bedrock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.provider.bedrock.BedrockTestSupport;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class EventStreamReaderTest {

  private static List<EventStreamMessage> readAll(byte[] body) throws Exception {
    EventStreamReader reader = new EventStreamReader(new Buffer().write(body));
    List<EventStreamMessage> messages = new ArrayList<>();
    for (EventStreamMessage m = reader.next(); m != null; m = reader.next()) {
      messages.add(m);
    }
    return messages;
  }

  @Test
  void decodesTheRecordedBinaryBodyLikeAnIndependentDecoder() throws Exception {
    byte[] body = BedrockTestSupport.bytes(BedrockTestSupport.file("converse-stream-eventstream.bin"));
    List<BedrockTestSupport.Frame> expected = BedrockTestSupport.decodeFrames(body);
    List<EventStreamMessage> messages = readAll(body);

    assertThat(messages).hasSameSizeAs(expected);
    for (int i = 0; i < messages.size(); i++) {
      EventStreamMessage m = messages.get(i);
      assertThat(m.headers()).isEqualTo(new LinkedHashMap<String, Object>(expected.get(i).headers()));
      assertThat(m.payloadText()).isEqualTo(expected.get(i).payload());
    }
    // literal spot checks against the recording
    assertThat(messages).extracting(m -> m.stringHeader(":event-type"))
        .containsExactly("messageStart", "contentBlockDelta", "contentBlockStop", "messageStop",
            "metadata");
    assertThat(messages).allSatisfy(m -> {
      assertThat(m.stringHeader(":message-type")).isEqualTo("event");
      assertThat(m.stringHeader(":content-type")).isEqualTo("application/json");
    });
    assertThat(messages.get(0).payloadText()).contains("\"role\":\"assistant\"");
    assertThat(messages.get(1).payloadText()).contains("\"text\":\"2 + 2 = 4.\"");
  }

  @Test
  void decodesEveryHeaderValueType() throws Exception {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("t", true);
    headers.put("f", false);
    headers.put("byte", (byte) -7);
    headers.put("short", (short) 1234);
    headers.put("int", 123_456_789);
    headers.put("long", 9_876_543_210L);
    headers.put("bytes", new byte[] {1, 2, 3});
    headers.put("string", "héllo");
    headers.put("time", Instant.ofEpochMilli(1_700_000_000_123L));
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    headers.put("uuid", uuid);
    headers.put(":event-type", "metadata");
    byte[] frame = BedrockTestSupport.frame(headers, "{}".getBytes(StandardCharsets.UTF_8));

    EventStreamMessage m = EventStreamReader.decode(frame);

    assertThat(m.headers().get("t")).isEqualTo(true);
    assertThat(m.headers().get("f")).isEqualTo(false);
    assertThat(m.headers().get("byte")).isEqualTo((byte) -7);
    assertThat(m.headers().get("short")).isEqualTo((short) 1234);
    assertThat(m.headers().get("int")).isEqualTo(123_456_789);
    assertThat(m.headers().get("long")).isEqualTo(9_876_543_210L);
    assertThat((byte[]) m.headers().get("bytes")).containsExactly(1, 2, 3);
    assertThat(m.stringHeader("string")).isEqualTo("héllo");
    assertThat(m.headers().get("time")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(m.headers().get("uuid")).isEqualTo(uuid);
    // skipping the other types correctly leaves the last header and the payload intact
    assertThat(m.stringHeader(":event-type")).isEqualTo("metadata");
    assertThat(m.payloadText()).isEqualTo("{}");
    assertThat(m.stringHeader("int")).isNull();
  }

  @Test
  void readsMessagesWithoutPayloadOrHeaders() throws Exception {
    byte[] empty = BedrockTestSupport.frame(Map.of(), new byte[0]);
    assertThat(empty).hasSize(EventStreamReader.MIN_MESSAGE_LENGTH);
    List<EventStreamMessage> messages = readAll(concat(empty, empty));
    assertThat(messages).hasSize(2).allSatisfy(m -> {
      assertThat(m.headers()).isEmpty();
      assertThat(m.payload()).isEmpty();
    });
  }

  @Test
  void emptyInputIsAnEmptyStream() throws Exception {
    assertThat(readAll(new byte[0])).isEmpty();
  }

  @Test
  void aFlippedPayloadBitFailsTheMessageCrc() {
    byte[] frame = BedrockTestSupport.event("contentBlockDelta", "{\"delta\":{\"text\":\"hi\"}}");
    frame[frame.length - 8] ^= 0x01;
    assertThatThrownBy(() -> readAll(frame)).isInstanceOf(EventStreamFormatException.class)
        .hasMessageContaining("message CRC mismatch");
  }

  @Test
  void aFlippedLengthBitFailsThePreludeCrcBeforeTheLengthIsTrusted() {
    byte[] frame = BedrockTestSupport.event("messageStart", "{}");
    frame[1] ^= 0x40; // would claim a 4 MiB message
    assertThatThrownBy(() -> readAll(frame)).isInstanceOf(EventStreamFormatException.class)
        .hasMessageContaining("prelude CRC mismatch");
  }

  @Test
  void aCorruptedRecordingFrameIsRejected() {
    byte[] body = BedrockTestSupport.bytes(BedrockTestSupport.file("converse-stream-eventstream.bin"));
    byte[] corrupt = body.clone();
    corrupt[0x130] ^= 0x20; // inside the text of the second frame
    assertThatThrownBy(() -> readAll(corrupt)).isInstanceOf(EventStreamFormatException.class);
  }

  @Test
  void impossibleLengthsAreRejectedEvenWithAValidPreludeCrc() {
    assertThatThrownBy(() -> readAll(prelude(8, 0))).isInstanceOf(EventStreamFormatException.class)
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> readAll(prelude(EventStreamReader.MAX_MESSAGE_LENGTH + 1, 0)))
        .isInstanceOf(EventStreamFormatException.class).hasMessageContaining("outside");
    assertThatThrownBy(() -> readAll(prelude(32, 20))).isInstanceOf(EventStreamFormatException.class)
        .hasMessageContaining("headers length");
  }

  @Test
  void anUnknownHeaderTypeCannotBeSkippedAndFails() {
    // one header "x" of type 10, then fix up both CRCs
    byte[] headers = {1, 'x', 10, 0, 0};
    byte[] frame = withCrcs(headers, new byte[0]);
    assertThatThrownBy(() -> EventStreamReader.decode(frame))
        .isInstanceOf(EventStreamFormatException.class).hasMessageContaining("unknown value type 10");
  }

  @Test
  void aHeaderCutShortFails() {
    byte[] headers = {5, 'a', 'b'}; // name length 5, two bytes of name
    byte[] frame = withCrcs(headers, new byte[0]);
    assertThatThrownBy(() -> EventStreamReader.decode(frame))
        .isInstanceOf(EventStreamFormatException.class).hasMessageContaining("cut short");
  }

  @Test
  void inputEndingInsideAMessageIsAnEofNotTheEnd() {
    byte[] frame = BedrockTestSupport.event("messageStart", "{\"role\":\"assistant\"}");
    assertThatThrownBy(() -> readAll(Arrays.copyOf(frame, frame.length - 5)))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> readAll(Arrays.copyOf(frame, 7))).isInstanceOf(EOFException.class);
  }

  @Test
  void toStringShowsNoPayload() {
    EventStreamMessage m = EventStreamReader.decode(
        BedrockTestSupport.event("contentBlockDelta", "{\"delta\":{\"text\":\"secret answer\"}}"));
    assertThat(m.toString()).doesNotContain("secret answer").contains("payloadBytes=");
  }

  private static byte[] prelude(int total, int headersLength) {
    ByteBuffer b = ByteBuffer.allocate(12).putInt(total).putInt(headersLength);
    b.putInt((int) BedrockTestSupport.crc(b.array(), 0, 8));
    return b.array();
  }

  private static byte[] withCrcs(byte[] headers, byte[] payload) {
    int total = 12 + headers.length + payload.length + 4;
    ByteBuffer b = ByteBuffer.allocate(total).putInt(total).putInt(headers.length);
    b.putInt((int) BedrockTestSupport.crc(b.array(), 0, 8)).put(headers).put(payload);
    b.putInt((int) BedrockTestSupport.crc(b.array(), 0, total - 4));
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    Buffer buffer = new Buffer();
    for (byte[] p : parts) {
      buffer.write(p);
    }
    return buffer.readByteArray();
  }
}

package dev.llmgateway.provider.internal.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<SseEvent> parse(String... feeds) {
    List<byte[]> chunks = new ArrayList<>();
    for (String feed : feeds) {
      chunks.add(feed.getBytes(StandardCharsets.UTF_8));
    }
    return parseBytes(chunks);
  }

  private static List<SseEvent> parseBytes(List<byte[]> feeds) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    for (byte[] feed : feeds) {
      parser.feed(feed, 0, feed.length, events::add);
    }
    parser.finish(events::add);
    return events;
  }

  private static List<String> data(List<SseEvent> events) {
    return events.stream().map(SseEvent::data).toList();
  }

  @Test
  void dispatchesEventsSeparatedByBlankLines() {
    assertThat(parse("data: one\n\ndata: two\n\n"))
        .containsExactly(SseEvent.of("one"), SseEvent.of("two"));
  }

  @Test
  void acceptsCrlfLineEndings() {
    assertThat(data(parse("data: one\r\n\r\ndata: two\r\n\r\n"))).containsExactly("one", "two");
  }

  @Test
  void acceptsBareCrLineEndings() {
    assertThat(data(parse("data: one\r\rdata: two\rdata: more\r\r"))).containsExactly("one", "two\nmore");
  }

  @Test
  void acceptsMixedLineEndings() {
    assertThat(data(parse("data: a\r\ndata: b\ndata: c\r\r\ndata: d\n\n")))
        .containsExactly("a\nb\nc", "d");
  }

  @Test
  void countsCrAndLfSplitAcrossFeedsAsOneLineEnd() {
    // were the LF counted again, it would be a blank line and dispatch "a" alone
    assertThat(data(parse("data: a\r", "\ndata: b\n\n"))).containsExactly("a\nb");
    assertThat(data(parse("data: a\r", "\n", "\r", "\n"))).containsExactly("a");
  }

  @Test
  void ignoresCommentLines() {
    assertThat(data(parse(": keep-alive\n\n:another\ndata: x\n: inside\n\n"))).containsExactly("x");
  }

  @Test
  void joinsMultiLineDataWithNewlines() {
    assertThat(data(parse("data: {\ndata:   \"a\": 1\ndata: }\n\n"))).containsExactly("{\n  \"a\": 1\n}");
  }

  @Test
  void removesOnlyOneSpaceAfterTheColon() {
    assertThat(data(parse("data:x\n\ndata: x\n\ndata:  x\n\n"))).containsExactly("x", "x", " x");
  }

  @Test
  void readsEventTypeAndDefaultsToMessage() {
    List<SseEvent> events = parse("event: ping\ndata: {}\n\ndata: 2\n\nevent:\ndata: 3\n\n");
    assertThat(events).extracting(SseEvent::event).containsExactly("ping", "message", "message");
  }

  @Test
  void keepsTheLastEventIdAcrossEvents() {
    List<SseEvent> events = parse("data: a\n\nid: 7\ndata: b\n\ndata: c\n\nid: bad\0id\ndata: d\n\n");
    assertThat(events).extracting(SseEvent::id).containsExactly(null, "7", "7", "7");
  }

  @Test
  void readsRetryOnlyWhenAllDigits() {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    byte[] bytes = "retry: 1500\n\nretry: 2x\n\nretry: -3\n\n".getBytes(StandardCharsets.UTF_8);
    parser.feed(bytes, events::add);
    assertThat(parser.retryMillis()).isEqualTo(1500L);
    assertThat(events).isEmpty();
  }

  @Test
  void treatsALineWithoutColonAsAFieldWithEmptyValue() {
    assertThat(data(parse("data\n\n"))).containsExactly("");
    assertThat(data(parse("data\ndata\n\n"))).containsExactly("\n");
  }

  @Test
  void doesNotDispatchAnEventWithoutData() {
    assertThat(parse("event: ping\n\nid: 1\n\n: comment\n\n")).isEmpty();
  }

  @Test
  void ignoresUnknownFields() {
    assertThat(data(parse("foo: bar\ndata: x\nDATA: y\n\n"))).containsExactly("x");
  }

  @Test
  void dispatchesAFinalEventWithoutTrailingBlankLine() {
    assertThat(data(parse("data: a\n\ndata: [DONE]\n"))).containsExactly("a", "[DONE]");
    assertThat(data(parse("data: a\n\ndata: [DONE]"))).containsExactly("a", "[DONE]");
    assertThat(data(parse("data: [DONE]\r"))).containsExactly("[DONE]");
  }

  @Test
  void skipsALeadingByteOrderMark() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
    assertThat(data(parseBytes(List.of(concat(bom, body))))).containsExactly("x");
    // split inside the BOM
    assertThat(data(parseBytes(List.of(Arrays.copyOfRange(bom, 0, 1), Arrays.copyOfRange(bom, 1, 3),
        body)))).containsExactly("x");
    // only one BOM is skipped, and only at the start: a BOM before "data" makes an unknown field
    assertThat(parseBytes(List.of(concat(bom, concat(bom, body))))).isEmpty();
  }

  @Test
  void decodesAnEmojiSplitAcrossFeeds() {
    byte[] body = "data: a😀b\n\n".getBytes(StandardCharsets.UTF_8);
    int emojiStart = "data: a".length();
    for (int cut = emojiStart + 1; cut < emojiStart + 4; cut++) {
      List<SseEvent> events = parseBytes(List.of(Arrays.copyOfRange(body, 0, cut),
          Arrays.copyOfRange(body, cut, body.length)));
      assertThat(data(events)).as("cut at %d", cut).containsExactly("a😀b");
    }
  }

  @Test
  void decodesMultiByteCharactersFedOneByteAtATime() {
    String text = "é € 😀 中文 \u0000";
    byte[] body = ("data: " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    List<byte[]> single = new ArrayList<>();
    for (byte b : body) {
      single.add(new byte[] {b});
    }
    assertThat(data(parseBytes(single))).containsExactly(text);
  }

  @Test
  void replacesMalformedBytes() {
    byte[] body = concat("data: a".getBytes(StandardCharsets.UTF_8),
        concat(new byte[] {(byte) 0xFF}, "b\n\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(data(parseBytes(List.of(body)))).containsExactly("a\uFFFDb");
  }

  @Test
  void replacesAnIncompleteSequenceAtTheEnd() {
    byte[] body = concat("data: a".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xF0, (byte) 0x9F});
    assertThat(data(parseBytes(List.of(body)))).containsExactly("a\uFFFD");
  }

  @Test
  void handlesLongLinesSpanningManyBuffers() {
    String big = "x".repeat(50_000) + "é";
    assertThat(data(parse("data: " + big + "\n\n"))).containsExactly(big);
  }

  @Test
  void refusesFeedsAfterFinish() {
    SseParser parser = new SseParser();
    parser.finish(e -> {});
    parser.finish(e -> {}); // idempotent
    assertThatThrownBy(() -> parser.feed(new byte[1], e -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readerPullsEventsFromAnInputStreamReadingOneByteAtATime() throws IOException {
    byte[] body = "data: a\r\n\r\n: c\r\nevent: e\r\ndata: 😀\r\n\r\ndata: last".getBytes(StandardCharsets.UTF_8);
    InputStream trickle = new ByteArrayInputStream(body) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    try (SseReader reader = new SseReader(trickle)) {
      assertThat(reader.next()).isEqualTo(SseEvent.of("a"));
      assertThat(reader.next()).isEqualTo(new SseEvent("e", "😀", null));
      assertThat(reader.next()).isEqualTo(SseEvent.of("last"));
      assertThat(reader.next()).isNull();
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void readerPullsEventsFromAnOkioSource() throws IOException {
    Buffer buffer = new Buffer().writeUtf8("retry: 10\ndata: a\n\ndata: b\n\n");
    try (SseReader reader = new SseReader(buffer)) {
      assertThat(reader.next()).isEqualTo(SseEvent.of("a"));
      assertThat(reader.retryMillis()).isEqualTo(10L);
      assertThat(reader.next()).isEqualTo(SseEvent.of("b"));
      assertThat(reader.next()).isNull();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

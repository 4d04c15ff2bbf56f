package dev.llmgateway.provider.gemini.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.provider.ConformanceFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiBareJsonCaptureTest {

  @Test
  void findsTheErrorObjectAfterTheEventsOfTheRecording() {
    byte[] body = ConformanceFiles.bytes(
        ConformanceFiles.file("gemini", "stream-error-mid-stream-vertex.sse"));
    String expected = new String(body, StandardCharsets.UTF_8);
    expected = expected.substring(expected.indexOf("\n{") + 1).strip();
    for (int split = 0; split <= body.length; split += 7) {
      List<String> found = feedSplit(body, split);
      assertThat(found).as("split at %d", split).containsExactly(expected);
    }
  }

  @Test
  void ignoresSseLinesCommentsAndNonJsonStrayText() {
    String body = ": keep-alive\r\nevent: x\r\nid: 3\r\nretry: 10\r\ndata: {\"a\":{}}\r\n\r\n"
        + "garbage line with { braces }\n\ndata\n";
    assertThat(feedSplit(body.getBytes(StandardCharsets.UTF_8), 5)).isEmpty();
  }

  @Test
  void bracesInsideStringsDoNotEndTheObject() {
    String body = "data: {}\n\n{\"error\": {\"message\": \"a } and a { and \\\" quote\"}}\ntail\n";
    assertThat(feedSplit(body.getBytes(StandardCharsets.UTF_8), 3)).containsExactly(
        "{\"error\": {\"message\": \"a } and a { and \\\" quote\"}}");
  }

  @Test
  void anUnbalancedObjectAtTheEndIsPartial() {
    BareJsonCapture capture = new BareJsonCapture();
    byte[] body = "data: {}\n\n{\n  \"error\": {\n".getBytes(StandardCharsets.UTF_8);
    capture.feed(body, 0, body.length);
    capture.finish();
    assertThat(capture.takeComplete()).isNull();
    assertThat(capture.hasPartial()).isTrue();
  }

  @Test
  void strayFieldLinesThatDoNotStartAnObjectAreIgnored() {
    String body = "dataX: {\"not\": \"sse\"}\ndata:{\"is\":\"sse\"}\n";
    assertThat(feedSplit(body.getBytes(StandardCharsets.UTF_8), 2)).isEmpty();
  }

  private static List<String> feedSplit(byte[] body, int split) {
    BareJsonCapture capture = new BareJsonCapture();
    List<String> found = new ArrayList<>();
    int cut = Math.min(split, body.length);
    capture.feed(body, 0, cut);
    collect(capture, found);
    capture.feed(body, cut, body.length - cut);
    collect(capture, found);
    capture.finish();
    collect(capture, found);
    return found;
  }

  private static void collect(BareJsonCapture capture, List<String> found) {
    String c = capture.takeComplete();
    if (c != null) {
      found.add(c.strip());
    }
  }
}

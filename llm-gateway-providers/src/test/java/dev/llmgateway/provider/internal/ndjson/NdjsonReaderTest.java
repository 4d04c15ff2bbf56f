package dev.llmgateway.provider.internal.ndjson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.provider.ConformanceFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonReaderTest {

  private static List<String> readAll(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    try (NdjsonReader reader = new NdjsonReader(in)) {
      for (String line = reader.nextLine(); line != null; line = reader.nextLine()) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void readsLinesSkippingBlanksWithLfOrCrlfAndNoFinalNewline() throws IOException {
    byte[] body = "{\"a\":1}\r\n\n{\"b\":\"é😀\"}\n   \n{\"c\":3}".getBytes(StandardCharsets.UTF_8);
    assertThat(readAll(new ByteArrayInputStream(body)))
        .containsExactly("{\"a\":1}", "{\"b\":\"é😀\"}", "{\"c\":3}");
  }

  @Test
  void readsTheOllamaRecordingOneByteAtATime() throws IOException {
    var file = ConformanceFiles.file("ollama", "chat-stream-text.ndjson");
    byte[] body = ConformanceFiles.bytes(file);
    InputStream trickle = new ByteArrayInputStream(body) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    List<String> lines = readAll(trickle);
    assertThat(lines).isEqualTo(ConformanceFiles.jsonLines(file));
    ObjectMapper mapper = new ObjectMapper();
    assertThat(mapper.readTree(lines.get(lines.size() - 1)).path("done").asBoolean()).isTrue();
  }
}

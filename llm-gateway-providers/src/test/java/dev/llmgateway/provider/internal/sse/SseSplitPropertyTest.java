package dev.llmgateway.provider.internal.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.provider.ConformanceFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every real stream recording, however the network splits it, decodes to the same events as when fed
 * whole: split at every single byte boundary, and at random sets of split points.
 */
class SseSplitPropertyTest {

  private static final List<String> PROVIDERS = List.of("openai-chat", "anthropic", "gemini",
      "azure-openai", "mistral", "openai-compatible");
  private static final int EXHAUSTIVE_TWO_WAY_LIMIT = 20_000;

  /** A recorded stream as SSE bytes. */
  record Recording(String name, byte[] bytes) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A recording and the byte offsets to cut it at. */
  record SplitCase(Recording recording, List<Integer> cuts) {}

  private static final List<Recording> RECORDINGS = loadRecordings();

  private static List<Recording> loadRecordings() {
    List<Recording> recordings = new ArrayList<>();
    for (String provider : PROVIDERS) {
      for (Path file : ConformanceFiles.files(provider, ".sse", ".jsonl")) {
        boolean openAiStyle = !provider.equals("anthropic") && !provider.equals("gemini")
            && !file.getFileName().toString().startsWith("responses-");
        recordings.add(new Recording(provider + "/" + file.getFileName(),
            ConformanceFiles.asSse(file, openAiStyle)));
      }
    }
    return List.copyOf(recordings);
  }

  private static List<SseEvent> whole(byte[] bytes) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    parser.feed(bytes, events::add);
    parser.finish(events::add);
    return events;
  }

  private static List<SseEvent> fedInPieces(byte[] bytes, Iterable<Integer> cuts) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    int from = 0;
    for (int cut : new TreeSet<>((java.util.Collection<Integer>) toList(cuts))) {
      parser.feed(bytes, from, cut - from, events::add);
      from = cut;
    }
    parser.feed(bytes, from, bytes.length - from, events::add);
    parser.finish(events::add);
    return events;
  }

  private static List<Integer> toList(Iterable<Integer> cuts) {
    List<Integer> list = new ArrayList<>();
    cuts.forEach(list::add);
    return list;
  }

  @Example
  void everyProviderHasRecordings() {
    for (String provider : PROVIDERS) {
      assertThat(RECORDINGS).as(provider).anyMatch(r -> r.name().startsWith(provider + "/"));
    }
    assertThat(RECORDINGS).hasSizeGreaterThanOrEqualTo(25);
  }

  @Example
  void wholeFeedYieldsOneEventPerRecordedPayload() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    for (Recording recording : RECORDINGS) {
      List<SseEvent> events = whole(recording.bytes());
      long dataLines = new String(recording.bytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines().filter(l -> l.startsWith("data:")).count();
      assertThat(events).as(recording.name()).hasSize((int) dataLines);
      for (SseEvent event : events) {
        if (event.data().equals("[DONE]")) {
          continue;
        }
        JsonNode json = mapper.readTree(event.data());
        assertThat(json).as(recording.name()).isNotNull();
        if (!event.event().equals(SseEvent.DEFAULT_EVENT)) {
          // Anthropic names each event after its payload's type
          assertThat(json.path("type").asText()).as(recording.name()).isEqualTo(event.event());
        }
      }
    }
  }

  @Example
  void oneByteAtATimeMatchesWholeFeedForEveryRecording() {
    for (Recording recording : RECORDINGS) {
      List<Integer> everyBoundary = new ArrayList<>();
      for (int i = 1; i < recording.bytes().length; i++) {
        everyBoundary.add(i);
      }
      assertThat(fedInPieces(recording.bytes(), everyBoundary)).as(recording.name())
          .isEqualTo(whole(recording.bytes()));
    }
  }

  @Example
  void everyTwoWaySplitMatchesWholeFeed() {
    for (Recording recording : RECORDINGS) {
      byte[] bytes = recording.bytes();
      if (bytes.length > EXHAUSTIVE_TWO_WAY_LIMIT) {
        continue; // covered by the one-byte and random splits
      }
      List<SseEvent> expected = whole(bytes);
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertThat(fedInPieces(bytes, List.of(cut))).as("%s cut at %d", recording.name(), cut)
            .isEqualTo(expected);
      }
    }
  }

  @Property(tries = 500)
  void randomSplitsMatchWholeFeed(@ForAll("splitCases") SplitCase split) {
    assertThat(fedInPieces(split.recording().bytes(), split.cuts()))
        .isEqualTo(whole(split.recording().bytes()));
  }

  @Property(tries = 100)
  void readerWithRandomReadSizesMatchesWholeFeed(@ForAll("recordings") Recording recording,
      @ForAll("readSizes") List<Integer> readSizes) throws IOException {
    InputStream in = new ByteArrayInputStream(recording.bytes()) {
      private int call;

      @Override
      public synchronized int read(byte[] b, int off, int len) {
        int size = readSizes.get(call++ % readSizes.size());
        return super.read(b, off, Math.min(len, size));
      }
    };
    List<SseEvent> events = new ArrayList<>();
    try (SseReader reader = new SseReader(in)) {
      for (SseEvent e = reader.next(); e != null; e = reader.next()) {
        events.add(e);
      }
    }
    assertThat(events).isEqualTo(whole(recording.bytes()));
  }

  @Provide
  Arbitrary<Recording> recordings() {
    return Arbitraries.of(RECORDINGS);
  }

  @Provide
  Arbitrary<List<Integer>> readSizes() {
    return Arbitraries.integers().between(1, 64).list().ofMinSize(1).ofMaxSize(20);
  }

  @Provide
  Arbitrary<SplitCase> splitCases() {
    return Arbitraries.of(RECORDINGS).flatMap(r -> Arbitraries.integers()
        .between(0, r.bytes().length).list().ofMaxSize(60)
        .map(cuts -> new SplitCase(r, cuts)));
  }
}

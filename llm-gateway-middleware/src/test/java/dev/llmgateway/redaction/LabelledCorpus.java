package dev.llmgateway.redaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelled sentences of {@code src/test/resources/redaction/pii-corpus.tsv}; the file's header
 * describes the format.
 */
final class LabelledCorpus {
  static final String RESOURCE = "/redaction/pii-corpus.tsv";

  /** A span the corpus says is there. */
  record Span(String type, int start, int end) {}

  /** One sentence with its kind, its text (markup removed) and its labelled spans. */
  record Sentence(int line, String kind, String text, List<Span> spans) {}

  private LabelledCorpus() {}

  static List<Sentence> load() {
    List<Sentence> sentences = new ArrayList<>();
    String[] lines = read().split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new IllegalStateException("line " + (i + 1) + ": no tab between kind and sentence");
      }
      String kind = line.substring(0, tab);
      if (!List.of("pii", "near", "clean").contains(kind)) {
        throw new IllegalStateException("line " + (i + 1) + ": unknown kind '" + kind + "'");
      }
      sentences.add(parse(i + 1, kind, line.substring(tab + 1)));
    }
    return sentences;
  }

  static Sentence parse(int lineNumber, String kind, String raw) {
    StringBuilder text = new StringBuilder();
    List<Span> spans = new ArrayList<>();
    String openType = null;
    int openStart = -1;
    int i = 0;
    while (i < raw.length()) {
      if (openType == null && raw.startsWith("[[", i)) {
        int bar = raw.indexOf('|', i + 2);
        String type = bar < 0 ? "" : raw.substring(i + 2, bar);
        if (type.matches("[A-Z][A-Z0-9_]*")) {
          openType = type;
          openStart = text.length();
          i = bar + 1;
          continue;
        }
      }
      if (openType != null && raw.startsWith("]]", i)) {
        spans.add(new Span(openType, openStart, text.length()));
        openType = null;
        i += 2;
        continue;
      }
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length() && (raw.charAt(i + 1) == 'n' || raw.charAt(i + 1) == '\\')) {
        text.append(raw.charAt(i + 1) == 'n' ? '\n' : '\\');
        i += 2;
        continue;
      }
      text.append(c);
      i++;
    }
    if (openType != null) {
      throw new IllegalStateException("line " + lineNumber + ": unclosed [[" + openType);
    }
    boolean labelled = !spans.isEmpty();
    if (labelled != kind.equals("pii")) {
      throw new IllegalStateException("line " + lineNumber + ": kind " + kind + " but "
          + spans.size() + " labelled spans");
    }
    return new Sentence(lineNumber, kind, text.toString(), List.copyOf(spans));
  }

  private static String read() {
    try (InputStream in = LabelledCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

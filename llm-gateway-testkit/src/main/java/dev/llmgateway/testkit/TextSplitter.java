package dev.llmgateway.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How {@link FakeLlmServer} cuts a reply's text, and each tool call's arguments, into stream chunks: one
 * piece per {@code data:} event. The pieces, concatenated, should give back the text.
 *
 * <p>The default, {@link #words()}, sends a word per event with its leading whitespace, the way OpenAI's
 * tokens look on the wire ({@code "I'm"}, {@code " unable"}, {@code " to"}). Any lambda will do:
 *
 * <pre>{@code
 * FakeReply reply = FakeReply.builder()
 *     .text("Hello there")
 *     .splitter(TextSplitter.fixedLength(3))      // "Hel", "lo ", "the", "re"
 *     .build();
 * FakeReply oneChunk = FakeReply.builder().text("Hello there").splitter(TextSplitter.whole()).build();
 * }</pre>
 */
@FunctionalInterface
public interface TextSplitter {

  /**
   * Cuts {@code text} into the pieces to stream, in order.
   *
   * @param text the text, possibly empty
   * @return the pieces; empty when there is nothing to send
   */
  List<String> split(String text);

  /** A piece per word, each word carrying the whitespace before it: {@code "a b"} gives {@code "a", " b"}. */
  static TextSplitter words() {
    Pattern beforeWhitespace = Pattern.compile("(?<=\\S)(?=\\s)");
    return text -> nonEmpty(beforeWhitespace.split(text, -1));
  }

  /** A piece per Unicode code point. */
  static TextSplitter characters() {
    return text -> text.codePoints().mapToObj(Character::toString).toList();
  }

  /**
   * Pieces of {@code length} chars (the last may be shorter).
   *
   * @param length the number of chars per piece, at least 1
   */
  static TextSplitter fixedLength(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("length must be at least 1, was " + length);
    }
    return text -> {
      List<String> pieces = new ArrayList<>();
      for (int start = 0; start < text.length(); start += length) {
        pieces.add(text.substring(start, Math.min(text.length(), start + length)));
      }
      return List.copyOf(pieces);
    };
  }

  /** The whole text in one piece. */
  static TextSplitter whole() {
    return text -> text.isEmpty() ? List.of() : List.of(text);
  }

  private static List<String> nonEmpty(String[] pieces) {
    List<String> result = new ArrayList<>(pieces.length);
    for (String piece : pieces) {
      if (!piece.isEmpty()) {
        result.add(piece);
      }
    }
    return List.copyOf(result);
  }
}

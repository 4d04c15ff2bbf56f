package dev.llmgateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextSplitterTest {

  @Test
  void wordsKeepTheWhitespaceBeforeEachWord() {
    assertThat(TextSplitter.words().split("I'm unable  to\nhelp.")).containsExactly("I'm", " unable", "  to", "\nhelp.");
    assertThat(TextSplitter.words().split(" leading and trailing ")).containsExactly(" leading", " and",
        " trailing", " ");
    assertThat(TextSplitter.words().split("")).isEmpty();
  }

  @Test
  void everySplitterGivesBackTheText() {
    String text = "Grüße, 世界! A tab\there.";
    for (TextSplitter splitter : new TextSplitter[] {TextSplitter.words(), TextSplitter.characters(),
        TextSplitter.fixedLength(4), TextSplitter.whole()}) {
      assertThat(String.join("", splitter.split(text))).isEqualTo(text);
    }
  }

  @Test
  void charactersKeepSurrogatePairsTogether() {
    assertThat(TextSplitter.characters().split("a😀b")).containsExactly("a", "😀", "b");
  }

  @Test
  void fixedLengthCutsEvenPiecesAndRejectsZero() {
    assertThat(TextSplitter.fixedLength(2).split("abcde")).containsExactly("ab", "cd", "e");
    assertThatThrownBy(() -> TextSplitter.fixedLength(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wholeSendsOnePieceOrNone() {
    assertThat(TextSplitter.whole().split("all of it")).containsExactly("all of it");
    assertThat(TextSplitter.whole().split("")).isEmpty();
  }
}

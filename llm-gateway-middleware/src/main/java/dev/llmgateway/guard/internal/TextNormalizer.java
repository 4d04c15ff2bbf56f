package dev.llmgateway.guard.internal;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds text into the form the guards' patterns are written against, undoing the cheap disguises:
 * <ol>
 *   <li>Unicode tag characters (U+E0020 to U+E007E, invisible "ASCII smuggling") become the ASCII they
 *       encode; other invisible characters are removed: zero-width space, joiners and non-joiners
 *       (U+200B to U+200F), bidirectional controls (U+202A to U+202E, U+2066 to U+2069), word joiner and
 *       invisible operators (U+2060 to U+2064), the byte-order mark (U+FEFF), soft hyphen (U+00AD),
 *       combining grapheme joiner (U+034F) and the Mongolian vowel separator (U+180E);</li>
 *   <li>NFKC: full-width and mathematical letters, ligatures and other compatibility forms become plain
 *       letters ({@code ｉｇｎｏｒｅ}, {@code 𝐢𝐠𝐧𝐨𝐫𝐞} become {@code ignore});</li>
 *   <li>homoglyphs: the Cyrillic and Greek letters that look like Latin ones ({@link #HOMOGLYPHS}) become
 *       those Latin letters; other scripts are left alone;</li>
 *   <li>accents are stripped (NFD, then combining marks removed), curly quotes become straight ones;</li>
 *   <li>lower case; runs of spaces and tabs become one space, line ends become {@code \n}.</li>
 * </ol>
 * Leetspeak, spaced-out letters, translations and paraphrases are not undone.
 */
public final class TextNormalizer {
  /**
   * Look-alike letters mapped to Latin, in pairs: Cyrillic а в е ё і ј к м н о р с т у х һ ԁ ԛ ԝ ѕ ӏ and
   * capitals, Greek α β ε ζ η ι κ μ ν ο ρ τ υ χ and capitals.
   */
  public static final String HOMOGLYPHS =
      // Cyrillic lower case
      "аaвbеeёeіiјjкkмmнhоoрpсcтtуyхxһhԁdԛqԝwѕsӏl"
      // Cyrillic capitals
      + "АAВBЕEЁEІIЈJКKМMНHОOРPСCТTУYХXЅSԚQԜW"
      // Greek lower case
      + "αaβbεeζzηnιiκkμuνvοoρpτtυuχx"
      // Greek capitals
      + "ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX";

  private static final char[] FROM;
  private static final char[] TO;

  static {
    FROM = new char[HOMOGLYPHS.length() / 2];
    TO = new char[FROM.length];
    for (int i = 0; i < FROM.length; i++) {
      FROM[i] = HOMOGLYPHS.charAt(2 * i);
      TO[i] = HOMOGLYPHS.charAt(2 * i + 1);
    }
  }

  private TextNormalizer() {}

  /** {@code text} folded as described above. */
  public static String normalize(String text) {
    StringBuilder visible = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (cp >= 0xE0020 && cp <= 0xE007E) {
        visible.append((char) (cp - 0xE0000));
      } else if (!isInvisible(cp)) {
        visible.appendCodePoint(cp);
      }
    });
    String s = Normalizer.normalize(visible, Normalizer.Form.NFKC);
    StringBuilder mapped = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      mapped.append(map(s.charAt(i)));
    }
    s = Normalizer.normalize(mapped, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.getType(c) == Character.NON_SPACING_MARK) {
        continue;
      }
      if (c == '\r') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          continue;
        }
        c = '\n';
      }
      if (c != '\n' && (c == '\t' || Character.isSpaceChar(c))) {
        if (!space) {
          out.append(' ');
        }
        space = true;
        continue;
      }
      space = false;
      out.append(switch (c) {
        case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032' -> '\'';
        case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB' -> '"';
        default -> c;
      });
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code cp} is one of the invisible characters removed by {@link #normalize}. */
  public static boolean isInvisible(int cp) {
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF
        || cp == 0x00AD || cp == 0x034F || cp == 0x180E || (cp >= 0xE0000 && cp <= 0xE007F);
  }

  private static char map(char c) {
    if (c < 0x370) {
      return c;
    }
    for (int i = 0; i < FROM.length; i++) {
      if (FROM[i] == c) {
        return TO[i];
      }
    }
    return c;
  }
}

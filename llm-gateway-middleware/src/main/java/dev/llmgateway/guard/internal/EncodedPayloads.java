package dev.llmgateway.guard.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds blobs in a text that decode to readable text: base64 (standard or URL-safe alphabet) runs of at
 * least {@link #MIN_BASE64_CHARS} characters, and hex runs of at least {@link #MIN_HEX_CHARS}. A blob
 * counts only when its bytes are valid UTF-8 and at least {@link #MIN_PRINTABLE_RATIO} of the decoded
 * characters are printable, so images ({@code data:image/png;base64,...}), hashes and keys, which decode
 * to binary, are ignored. At most {@link #MAX_DECODED_CHARS} characters of a blob are decoded, and
 * decoded text is searched again for blobs {@link #MAX_DEPTH} levels deep (base64 in base64).
 */
public final class EncodedPayloads {
  public static final int MIN_BASE64_CHARS = 24;
  public static final int MIN_HEX_CHARS = 32;
  public static final double MIN_PRINTABLE_RATIO = 0.9;
  public static final int MAX_DECODED_CHARS = 8192;
  public static final int MAX_DEPTH = 2;

  private static final Pattern BASE64 =
      Pattern.compile("[A-Za-z0-9+/_-]{" + MIN_BASE64_CHARS + ",}={0,2}");
  private static final Pattern HEX = Pattern.compile("(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){"
      + (MIN_HEX_CHARS / 2) + ",}(?![0-9A-Fa-f])");

  private EncodedPayloads() {}

  /** A decoded blob: its encoding ({@code base64} or {@code hex}) and its text. */
  public record Payload(String encoding, String text) {}

  /** The readable payloads hidden in {@code text}, outermost first. */
  public static List<Payload> find(String text) {
    List<Payload> found = new ArrayList<>();
    find(text, 1, found);
    return found;
  }

  private static void find(String text, int depth, List<Payload> found) {
    Matcher hex = HEX.matcher(text);
    while (hex.find()) {
      String decoded = decodeHex(hex.group());
      if (decoded != null) {
        found.add(new Payload("hex", decoded));
        if (depth < MAX_DEPTH) {
          find(decoded, depth + 1, found);
        }
      }
    }
    Matcher b64 = BASE64.matcher(text);
    while (b64.find()) {
      String run = b64.group();
      if (run.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        continue; // a hex run, handled above
      }
      String decoded = decodeBase64(run);
      if (decoded != null) {
        found.add(new Payload("base64", decoded));
        if (depth < MAX_DEPTH) {
          find(decoded, depth + 1, found);
        }
      }
    }
  }

  private static String decodeBase64(String run) {
    String body = run.replace("=", "");
    int usable = Math.min(body.length(), MAX_DECODED_CHARS) & ~3;
    if (usable < MIN_BASE64_CHARS - 3) {
      return null;
    }
    String chunk = body.substring(0, usable);
    byte[] bytes;
    try {
      bytes = chunk.indexOf('-') >= 0 || chunk.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(chunk)
          : Base64.getDecoder().decode(chunk);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return readable(bytes);
  }

  private static String decodeHex(String run) {
    int usable = Math.min(run.length(), MAX_DECODED_CHARS) & ~1;
    try {
      return readable(HexFormat.of().parseHex(run, 0, usable));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code bytes} as text when they are UTF-8 and mostly printable; else null. */
  private static String readable(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    String text;
    try {
      // A blob cut at MAX_DECODED_CHARS may end inside a character: drop up to 3 trailing bytes.
      CharBuffer chars = null;
      for (int cut = 0; cut <= 3 && chars == null && cut < bytes.length; cut++) {
        try {
          chars = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, bytes.length - cut));
        } catch (CharacterCodingException e) {
          if (cut == 3) {
            throw e;
          }
        }
      }
      if (chars == null) {
        return null;
      }
      text = chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    if (text.isEmpty()) {
      return null;
    }
    long printable = text.codePoints()
        .filter(cp -> cp == '\n' || cp == '\t' || cp == '\r' || !Character.isISOControl(cp))
        .filter(cp -> Character.getType(cp) != Character.UNASSIGNED
            && Character.getType(cp) != Character.PRIVATE_USE && cp != 0xFFFD)
        .count();
    long letters = text.codePoints().filter(Character::isLetter).count();
    long total = text.codePoints().count();
    return printable >= MIN_PRINTABLE_RATIO * total && letters >= total / 2 ? text : null;
  }
}

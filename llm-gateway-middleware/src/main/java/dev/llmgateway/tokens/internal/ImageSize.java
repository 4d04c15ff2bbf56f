package dev.llmgateway.tokens.internal;

import dev.llmgateway.ContentPart;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * An image's width and height in pixels, read from the header of inline (base64 or data-URL) PNG, GIF,
 * JPEG and WebP images without decoding them. Images given by http(s) URL are never fetched: their size
 * is unknown.
 *
 * @param width pixels across
 * @param height pixels down
 */
public record ImageSize(int width, int height) {

  /** How much base64 text is decoded at most when looking for a JPEG's frame header (256 KB of image). */
  private static final int MAX_BASE64_CHARS = 350_000;

  public ImageSize {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, was " + width + "x" + height);
    }
  }

  /** The size of {@code image} when its bytes are inline and their header is readable; else null. */
  public static @Nullable ImageSize of(ContentPart.Image image) {
    String base64 = image.base64Data();
    if (base64 == null) {
      String url = image.url();
      int comma = url == null ? -1 : url.indexOf(',');
      if (url == null || !url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
        return null;
      }
      base64 = url.substring(comma + 1);
    }
    byte[] bytes = decodePrefix(base64);
    return bytes == null ? null : sniff(bytes);
  }

  /** The size written in the header of {@code bytes}, the start of an image file; else null. */
  public static @Nullable ImageSize sniff(byte[] bytes) {
    try {
      if (startsWith(bytes, 0x89, 'P', 'N', 'G')) {
        return positive(bigEndian32(bytes, 16), bigEndian32(bytes, 20));
      }
      if (startsWith(bytes, 'G', 'I', 'F', '8')) {
        return positive(littleEndian16(bytes, 6), littleEndian16(bytes, 8));
      }
      if (startsWith(bytes, 0xFF, 0xD8)) {
        return jpeg(bytes);
      }
      if (startsWith(bytes, 'R', 'I', 'F', 'F') && bytes.length > 16 && bytes[8] == 'W'
          && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
        return webp(bytes);
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      return null; // truncated header
    }
    return null;
  }

  private static @Nullable ImageSize jpeg(byte[] b) {
    int i = 2;
    while (i + 9 < b.length) {
      if ((b[i] & 0xFF) != 0xFF) {
        return null;
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2; // markers without a length
        continue;
      }
      int length = bigEndian16(b, i + 2);
      boolean frameHeader = marker >= 0xC0 && marker <= 0xCF
          && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frameHeader) {
        return positive(bigEndian16(b, i + 7), bigEndian16(b, i + 5));
      }
      if (marker == 0xDA || length < 2) {
        return null; // image data starts before any frame header
      }
      i += 2 + length;
    }
    return null;
  }

  private static @Nullable ImageSize webp(byte[] b) {
    if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == ' ') {
      return positive(littleEndian16(b, 26) & 0x3FFF, littleEndian16(b, 28) & 0x3FFF);
    }
    if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'L') {
      int b0 = b[21] & 0xFF;
      int b1 = b[22] & 0xFF;
      int b2 = b[23] & 0xFF;
      int b3 = b[24] & 0xFF;
      return positive(1 + (b0 | (b1 & 0x3F) << 8), 1 + ((b1 >> 6) | b2 << 2 | (b3 & 0x0F) << 10));
    }
    if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'X') {
      return positive(1 + littleEndian24(b, 24), 1 + littleEndian24(b, 27));
    }
    return null;
  }

  private static byte @Nullable [] decodePrefix(String base64) {
    int limit = Math.min(base64.length(), MAX_BASE64_CHARS);
    StringBuilder clean = new StringBuilder(limit);
    for (int i = 0; i < limit; i++) {
      char c = base64.charAt(i);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
          || c == '/' || c == '-' || c == '_') {
        clean.append(c == '-' ? '+' : c == '_' ? '/' : c);
      }
    }
    clean.setLength(clean.length() - clean.length() % 4);
    try {
      return Base64.getDecoder().decode(clean.toString());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable ImageSize positive(long width, long height) {
    return width > 0 && height > 0 && width <= Integer.MAX_VALUE && height <= Integer.MAX_VALUE
        ? new ImageSize((int) width, (int) height) : null;
  }

  private static int bigEndian16(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  private static long bigEndian32(byte[] b, int at) {
    return (long) (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8
        | (b[at + 3] & 0xFF);
  }

  private static int littleEndian16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static int littleEndian24(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
  }
}

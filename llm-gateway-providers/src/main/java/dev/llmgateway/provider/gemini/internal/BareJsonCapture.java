package dev.llmgateway.provider.gemini.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Watches the bytes of an event-stream body for a JSON object written outside the SSE framing, which is
 * how Google reports an error that happens after a stream began: a bare, pretty-printed
 * {@code {"error": {...}}} follows the last {@code data:} event. A standard SSE parser ignores such lines
 * (they are fields of unknown names), so without this the error would vanish and the stream would look
 * complete.
 *
 * <p>Fed the same bytes as the SSE parser. A line is an SSE line when it is blank, a comment, or a field
 * named {@code data}, {@code event}, {@code id} or {@code retry}; any other line is stray. A stray line
 * whose first non-blank character is <code>{</code> starts a capture, which collects stray bytes until
 * the braces balance (braces inside JSON strings do not count); other stray lines are ignored, as SSE
 * says. At most {@link #MAX_CAPTURE_BYTES} are kept. Not thread-safe.
 */
final class BareJsonCapture {
  /** The most bytes of one captured object that are kept; an error object is far smaller. */
  static final int MAX_CAPTURE_BYTES = 64 * 1024;

  private static final byte[][] SSE_FIELDS = {
      "data".getBytes(StandardCharsets.US_ASCII), "event".getBytes(StandardCharsets.US_ASCII),
      "id".getBytes(StandardCharsets.US_ASCII), "retry".getBytes(StandardCharsets.US_ASCII)};
  private static final int LONGEST_FIELD = 5;

  private final byte[] prefix = new byte[LONGEST_FIELD + 1];
  private int prefixLength;
  private boolean decided;
  private boolean stray;
  private boolean lastWasCr;
  private boolean skipLine;

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private boolean capturing;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private @Nullable String complete;

  /** Scans {@code length} bytes of {@code bytes} from {@code offset}. */
  void feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      if (b == '\n' || b == '\r') {
        endLine();
        lastWasCr = b == '\r';
        continue;
      }
      lastWasCr = false;
      if (decided) {
        if (stray) {
          strayByte(b);
        }
        continue;
      }
      prefix[prefixLength++] = b;
      if (prefixLength == 1 && b == ':') {
        decide(false); // a comment
      } else if (b == ':') {
        decide(!isSseField(prefixLength - 1));
      } else if (prefixLength > LONGEST_FIELD) {
        decide(true);
      }
    }
  }

  /** Signals the end of the body: an unterminated last line is processed. */
  void finish() {
    if (prefixLength > 0 || decided) {
      endLine();
    }
  }

  /** A captured object whose braces balanced, once; null when none is ready. */
  @Nullable String takeComplete() {
    String c = complete;
    complete = null;
    return c;
  }

  /** Whether a capture began but its braces never balanced. */
  boolean hasPartial() {
    return capturing;
  }

  private void decide(boolean isStray) {
    decided = true;
    stray = isStray;
    if (isStray) {
      for (int i = 0; i < prefixLength; i++) {
        strayByte(prefix[i]);
      }
    }
  }

  private void endLine() {
    if (!decided && prefixLength > 0) {
      decide(!isSseField(prefixLength)); // a field name without a colon
    }
    if (stray && capturing) {
      append((byte) '\n');
    }
    prefixLength = 0;
    decided = false;
    stray = false;
    skipLine = false;
  }

  private boolean isSseField(int nameLength) {
    outer:
    for (byte[] field : SSE_FIELDS) {
      if (field.length != nameLength) {
        continue;
      }
      for (int i = 0; i < nameLength; i++) {
        if (prefix[i] != field[i]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void strayByte(byte b) {
    if (!capturing) {
      if (skipLine || b == ' ' || b == '\t') {
        return;
      }
      if (b != '{') {
        skipLine = true; // stray text that is not JSON: ignored, as SSE ignores unknown fields
        return;
      }
      capturing = true;
      depth = 0;
      inString = false;
      escaped = false;
      captured.reset();
    }
    append(b);
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (b == '\\') {
        escaped = true;
      } else if (b == '"') {
        inString = false;
      }
      return;
    }
    if (b == '"') {
      inString = true;
    } else if (b == '{') {
      depth++;
    } else if (b == '}') {
      depth--;
      if (depth == 0) {
        capturing = false;
        complete = captured.toString(StandardCharsets.UTF_8);
        captured.reset();
        skipLine = true; // whatever follows on this line is not part of the object
      }
    }
  }

  private void append(byte b) {
    if (captured.size() < MAX_CAPTURE_BYTES) {
      captured.write(b);
    }
  }
}

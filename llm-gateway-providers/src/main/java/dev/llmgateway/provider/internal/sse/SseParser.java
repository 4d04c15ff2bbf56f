package dev.llmgateway.provider.internal.sse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A push parser for {@code text/event-stream} bodies following the WHATWG "event stream interpretation"
 * rules. Feed it bytes as they arrive, in pieces of any size; it calls the sink once per complete event.
 *
 * <ul>
 *   <li>Lines end with CRLF, LF or CR; a CR ending one feed and an LF starting the next count as one line
 *       end.
 *   <li>{@code data:} fields of one event are joined with {@code \n}; {@code event:} sets the type
 *       (default {@code message}); {@code id:} sets the last event id (ignored when it contains NUL);
 *       {@code retry:} with ASCII digits only sets {@link #retryMillis()}; lines starting with {@code :} are
 *       comments; other fields are ignored. One space after the colon is dropped, further ones kept; a line
 *       without a colon is a field with an empty value.
 *   <li>A blank line dispatches the event, unless it had no {@code data:} field.
 *   <li>Bytes are decoded as UTF-8 with a {@link CharsetDecoder} that carries an incomplete multi-byte
 *       sequence over to the next feed, so a character split between network reads decodes correctly.
 *       Malformed bytes become U+FFFD. One leading byte order mark is skipped.
 *   <li>Unlike the WHATWG rules, which drop an event that is not followed by a blank line,
 *       {@link #finish} dispatches it: several servers end the body right after the last {@code data:}
 *       line, and dropping their final event (often the terminal one) would truncate answers.
 * </ul>
 *
 * <p>Not thread-safe: one parser per stream.
 */
public final class SseParser {
  private static final int CHAR_BUFFER_SIZE = 4096;

  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final CharBuffer chars = CharBuffer.allocate(CHAR_BUFFER_SIZE);
  /** Bytes of a multi-byte character whose end has not arrived yet (at most 3). */
  private final byte[] carry = new byte[8];
  private int carryLength;

  private final StringBuilder line = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private @Nullable String eventType;
  private @Nullable String lastEventId;
  private @Nullable Long retryMillis;
  private boolean lastWasCr;
  private boolean bomChecked;
  private boolean finished;

  /**
   * Parses {@code length} bytes of {@code bytes} from {@code offset}, calling {@code sink} for each event
   * they complete.
   *
   * @throws IllegalStateException after {@link #finish}
   */
  public void feed(byte[] bytes, int offset, int length, Consumer<? super SseEvent> sink) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(sink, "sink");
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (finished) {
      throw new IllegalStateException("the parser has finished");
    }
    ByteBuffer in;
    if (carryLength > 0) {
      byte[] joined = new byte[carryLength + length];
      System.arraycopy(carry, 0, joined, 0, carryLength);
      System.arraycopy(bytes, offset, joined, carryLength, length);
      carryLength = 0;
      in = ByteBuffer.wrap(joined);
    } else {
      in = ByteBuffer.wrap(bytes, offset, length);
    }
    decode(in, false, sink);
    int rest = in.remaining();
    if (rest > carry.length) {
      // cannot happen with UTF-8 (a sequence is at most 4 bytes), but never lose bytes silently
      throw new IllegalStateException("decoder left " + rest + " bytes undecoded");
    }
    in.get(carry, 0, rest);
    carryLength = rest;
  }

  /** Parses all of {@code bytes}. */
  public void feed(byte[] bytes, Consumer<? super SseEvent> sink) {
    feed(bytes, 0, bytes.length, sink);
  }

  /**
   * Signals the end of the input: decodes any incomplete trailing bytes (as U+FFFD), processes an
   * unterminated last line and dispatches a pending event that no blank line followed. Idempotent.
   */
  public void finish(Consumer<? super SseEvent> sink) {
    Objects.requireNonNull(sink, "sink");
    if (finished) {
      return;
    }
    finished = true;
    ByteBuffer in = ByteBuffer.wrap(carry, 0, carryLength);
    carryLength = 0;
    decode(in, true, sink);
    CoderResult flushed;
    do {
      flushed = decoder.flush(chars);
      process(sink);
    } while (flushed.isOverflow());
    if (line.length() > 0) {
      processLine(sink);
    }
    dispatch(sink);
  }

  /** The last valid {@code retry:} value, in milliseconds; null when none arrived. */
  public @Nullable Long retryMillis() {
    return retryMillis;
  }

  /** The last event id seen; null when none arrived. */
  public @Nullable String lastEventId() {
    return lastEventId;
  }

  private void decode(ByteBuffer in, boolean endOfInput, Consumer<? super SseEvent> sink) {
    while (true) {
      CoderResult result = decoder.decode(in, chars, endOfInput);
      process(sink);
      if (result.isUnderflow()) {
        return;
      }
      if (result.isError()) {
        // unreachable with REPLACE actions
        try {
          result.throwException();
        } catch (CharacterCodingException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** Splits the decoded characters in {@link #chars} into lines, then empties it. */
  private void process(Consumer<? super SseEvent> sink) {
    chars.flip();
    char[] a = chars.array();
    int i = chars.arrayOffset() + chars.position();
    int end = chars.arrayOffset() + chars.limit();
    if (!bomChecked && i < end) {
      bomChecked = true;
      if (a[i] == '\uFEFF') {
        i++;
      }
    }
    int lineStart = i;
    for (; i < end; i++) {
      char c = a[i];
      if (c == '\n' && lastWasCr) {
        lastWasCr = false;
        lineStart = i + 1;
      } else if (c == '\n' || c == '\r') {
        line.append(a, lineStart, i - lineStart);
        lastWasCr = c == '\r';
        processLine(sink);
        lineStart = i + 1;
      } else {
        lastWasCr = false;
      }
    }
    line.append(a, lineStart, end - lineStart);
    chars.clear();
  }

  private void processLine(Consumer<? super SseEvent> sink) {
    int length = line.length();
    if (length == 0) {
      dispatch(sink);
      return;
    }
    if (line.charAt(0) == ':') {
      line.setLength(0);
      return;
    }
    int colon = line.indexOf(":");
    int nameEnd = colon < 0 ? length : colon;
    int valueStart = colon < 0 ? length : colon + 1;
    if (valueStart < length && line.charAt(valueStart) == ' ') {
      valueStart++;
    }
    if (fieldIs("data", nameEnd)) {
      data.append(line, valueStart, length).append('\n');
    } else if (fieldIs("event", nameEnd)) {
      eventType = line.substring(valueStart);
    } else if (fieldIs("id", nameEnd)) {
      String value = line.substring(valueStart);
      if (value.indexOf('\0') < 0) {
        lastEventId = value;
      }
    } else if (fieldIs("retry", nameEnd)) {
      parseRetry(valueStart, length);
    }
    line.setLength(0);
  }

  private boolean fieldIs(String name, int nameEnd) {
    if (nameEnd != name.length()) {
      return false;
    }
    for (int i = 0; i < nameEnd; i++) {
      if (line.charAt(i) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void parseRetry(int from, int to) {
    if (from == to || to - from > 18) {
      return; // empty, or too long for a long: ignore like any other invalid value
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return;
      }
      value = value * 10 + (c - '0');
    }
    retryMillis = value;
  }

  private void dispatch(Consumer<? super SseEvent> sink) {
    if (data.length() == 0) {
      eventType = null;
      return;
    }
    data.setLength(data.length() - 1);
    String type = eventType == null || eventType.isEmpty() ? SseEvent.DEFAULT_EVENT : eventType;
    SseEvent event = new SseEvent(type, data.toString(), lastEventId);
    data.setLength(0);
    eventType = null;
    sink.accept(event);
  }
}

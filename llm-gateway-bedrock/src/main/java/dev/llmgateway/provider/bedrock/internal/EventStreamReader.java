package dev.llmgateway.provider.bedrock.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads the binary AWS event-stream framing ({@code application/vnd.amazon.eventstream}) that Bedrock's
 * {@code ConverseStream} answers with, one {@link EventStreamMessage} at a time, blocking only for the
 * bytes of the next message.
 *
 * <p>A message is, big-endian: a 12-byte prelude (total length: uint32, headers length: uint32, CRC32 of
 * the first 8 bytes), the headers, the payload, and a CRC32 of everything before it. A header is a name
 * (uint8 length, UTF-8 bytes), a type byte and a value: 0 true and 1 false (no value), 2 byte, 3 short
 * (2 bytes), 4 int (4), 5 long (8), 6 byte array and 7 string (uint16 length, then the bytes),
 * 8 timestamp (int64 milliseconds since the epoch), 9 UUID (16 bytes). Every type's length is known, so
 * each is decoded (or skipped past) exactly; an unknown type cannot be skipped and fails.
 *
 * <p>Both CRCs are checked, the prelude's before its lengths are trusted. A mismatch, a length out of
 * range (a message is at least 16 bytes and at most {@link #MAX_MESSAGE_LENGTH}; its headers must fit in
 * it) or a malformed header throws {@link EventStreamFormatException}. The input ending cleanly between
 * two messages is the end of the stream ({@link #next()} returns null); ending inside a message throws
 * {@link EOFException}.
 *
 * <p>Not thread-safe: one reader per stream.
 */
public final class EventStreamReader {
  /** Bytes of the prelude: total length, headers length, prelude CRC. */
  public static final int PRELUDE_LENGTH = 12;
  /** Bytes of the smallest message: the prelude and the message CRC. */
  public static final int MIN_MESSAGE_LENGTH = PRELUDE_LENGTH + 4;
  /** The largest message accepted, 16 MiB, as the event-stream specification allows. */
  public static final int MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;

  private final BufferedSource source;

  public EventStreamReader(BufferedSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * The next message; null when the input ended between messages.
   *
   * @throws EOFException when the input ends inside a message
   * @throws EventStreamFormatException when the message is corrupt
   * @throws IOException when reading fails
   */
  public @Nullable EventStreamMessage next() throws IOException {
    if (source.exhausted()) {
      return null;
    }
    byte[] prelude = source.readByteArray(PRELUDE_LENGTH);
    ByteBuffer p = ByteBuffer.wrap(prelude);
    long totalLength = Integer.toUnsignedLong(p.getInt());
    long headersLength = Integer.toUnsignedLong(p.getInt());
    long preludeCrc = Integer.toUnsignedLong(p.getInt());
    long actualPreludeCrc = crc32(prelude, 0, 8);
    if (preludeCrc != actualPreludeCrc) {
      throw new EventStreamFormatException("event-stream prelude CRC mismatch (expected "
          + hex(preludeCrc) + ", computed " + hex(actualPreludeCrc) + ")");
    }
    checkLengths(totalLength, headersLength);
    byte[] rest = source.readByteArray(totalLength - PRELUDE_LENGTH);
    byte[] message = new byte[(int) totalLength];
    System.arraycopy(prelude, 0, message, 0, PRELUDE_LENGTH);
    System.arraycopy(rest, 0, message, PRELUDE_LENGTH, rest.length);
    return decode(message);
  }

  /**
   * Decodes one complete message, checking both CRCs.
   *
   * @throws EventStreamFormatException when the message is corrupt or its length is not the one its
   *     prelude states
   */
  public static EventStreamMessage decode(byte[] message) {
    Objects.requireNonNull(message, "message");
    if (message.length < MIN_MESSAGE_LENGTH) {
      throw new EventStreamFormatException("event-stream message of " + message.length
          + " bytes is shorter than the minimum of " + MIN_MESSAGE_LENGTH);
    }
    ByteBuffer buffer = ByteBuffer.wrap(message);
    long totalLength = Integer.toUnsignedLong(buffer.getInt());
    long headersLength = Integer.toUnsignedLong(buffer.getInt());
    long preludeCrc = Integer.toUnsignedLong(buffer.getInt());
    long actualPreludeCrc = crc32(message, 0, 8);
    if (preludeCrc != actualPreludeCrc) {
      throw new EventStreamFormatException("event-stream prelude CRC mismatch (expected "
          + hex(preludeCrc) + ", computed " + hex(actualPreludeCrc) + ")");
    }
    checkLengths(totalLength, headersLength);
    if (totalLength != message.length) {
      throw new EventStreamFormatException("event-stream prelude states " + totalLength
          + " bytes but the message has " + message.length);
    }
    int crcOffset = message.length - 4;
    long messageCrc = Integer.toUnsignedLong(buffer.getInt(crcOffset));
    long actualMessageCrc = crc32(message, 0, crcOffset);
    if (messageCrc != actualMessageCrc) {
      throw new EventStreamFormatException("event-stream message CRC mismatch (expected "
          + hex(messageCrc) + ", computed " + hex(actualMessageCrc) + ")");
    }
    int headersEnd = PRELUDE_LENGTH + (int) headersLength;
    Map<String, Object> headers = readHeaders(buffer, PRELUDE_LENGTH, headersEnd);
    byte[] payload = new byte[crcOffset - headersEnd];
    System.arraycopy(message, headersEnd, payload, 0, payload.length);
    return new EventStreamMessage(headers, payload);
  }

  private static void checkLengths(long totalLength, long headersLength) {
    if (totalLength < MIN_MESSAGE_LENGTH || totalLength > MAX_MESSAGE_LENGTH) {
      throw new EventStreamFormatException("event-stream message length " + totalLength
          + " is outside [" + MIN_MESSAGE_LENGTH + ", " + MAX_MESSAGE_LENGTH + "]");
    }
    if (headersLength > totalLength - MIN_MESSAGE_LENGTH) {
      throw new EventStreamFormatException("event-stream headers length " + headersLength
          + " does not fit in a message of " + totalLength + " bytes");
    }
  }

  private static Map<String, Object> readHeaders(ByteBuffer buffer, int start, int end) {
    Map<String, Object> headers = new LinkedHashMap<>();
    buffer.position(start);
    buffer.limit(end);
    try {
      while (buffer.hasRemaining()) {
        int nameLength = Byte.toUnsignedInt(buffer.get());
        if (nameLength == 0) {
          throw new EventStreamFormatException("event-stream header with an empty name");
        }
        String name = utf8(buffer, nameLength, "header name");
        int type = Byte.toUnsignedInt(buffer.get());
        Object value = switch (type) {
          case 0 -> Boolean.TRUE;
          case 1 -> Boolean.FALSE;
          case 2 -> buffer.get();
          case 3 -> buffer.getShort();
          case 4 -> buffer.getInt();
          case 5 -> buffer.getLong();
          case 6 -> {
            byte[] bytes = new byte[Short.toUnsignedInt(buffer.getShort())];
            buffer.get(bytes);
            yield bytes;
          }
          case 7 -> utf8(buffer, Short.toUnsignedInt(buffer.getShort()), "header '" + name + "'");
          case 8 -> Instant.ofEpochMilli(buffer.getLong());
          case 9 -> new UUID(buffer.getLong(), buffer.getLong());
          default -> throw new EventStreamFormatException("event-stream header '" + name
              + "' has unknown value type " + type);
        };
        headers.put(name, value);
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new EventStreamFormatException("event-stream headers are cut short (" + (end - start)
          + " header bytes)");
    } finally {
      buffer.limit(buffer.capacity());
    }
    return headers;
  }

  private static String utf8(ByteBuffer buffer, int length, String what) {
    if (length > buffer.remaining()) {
      throw new java.nio.BufferUnderflowException();
    }
    ByteBuffer slice = buffer.slice();
    slice.limit(length);
    buffer.position(buffer.position() + length);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw new EventStreamFormatException("event-stream " + what + " is not valid UTF-8");
    }
  }

  private static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  private static String hex(long crc) {
    return String.format("%08x", crc);
  }
}

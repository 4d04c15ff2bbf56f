package dev.llmgateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Test-side tools: the recorded Bedrock payloads, an AWS event-stream frame <em>encoder</em> (with real
 * CRCs), and a minimal frame decoder written independently of the production one, to derive
 * expectations from the binary recording.
 */
public final class BedrockTestSupport {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private BedrockTestSupport() {}

  // --- recorded payloads

  public static Path conformanceDir() {
    String configured = System.getProperty("conformance.dir");
    Path dir = configured != null ? Paths.get(configured) : Paths.get("../../shared/conformance");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("conformance files not found at " + dir.toAbsolutePath()
          + "; set -Dconformance.dir");
    }
    return dir.resolve("bedrock");
  }

  public static Path file(String name) {
    return conformanceDir().resolve(name);
  }

  /** Every file of the bedrock recordings, sorted by name. */
  public static List<Path> allFiles() {
    try (Stream<Path> s = Files.list(conformanceDir())) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(Path file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  /** The {@code {eventType: payload}} lines of a decoded-stream recording, in order. */
  public static List<Map.Entry<String, JsonNode>> events(Path jsonl) {
    List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
    for (String line : text(jsonl).lines().filter(l -> !l.isBlank()).toList()) {
      try {
        JsonNode node = MAPPER.readTree(line);
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        Map.Entry<String, JsonNode> only = fields.next();
        if (fields.hasNext()) {
          throw new IllegalStateException("more than one event on a line of " + jsonl);
        }
        events.add(Map.entry(only.getKey(), only.getValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return events;
  }

  /** A decoded-stream recording re-encoded as a real event-stream body. */
  public static byte[] eventStreamOf(Path jsonl) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, JsonNode> event : events(jsonl)) {
      out.writeBytes(event(event.getKey(), event.getValue().toString()));
    }
    return out.toByteArray();
  }

  // --- encoder

  /** An {@code event} message, as Bedrock sends it. */
  public static byte[] event(String eventType, String json) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return frame(headers, json.getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code exception} message, as Bedrock sends it mid-stream. */
  public static byte[] exception(String exceptionType, String json) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(":exception-type", exceptionType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return frame(headers, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One event-stream message with correct CRCs. Header values: Boolean (types 0/1), Byte (2), Short
   * (3), Integer (4), Long (5), byte[] (6), String (7), Instant (8), UUID (9).
   */
  public static byte[] frame(Map<String, Object> headers, byte[] payload) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    for (Map.Entry<String, Object> header : headers.entrySet()) {
      byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
      h.write(name.length);
      h.writeBytes(name);
      Object v = header.getValue();
      ByteBuffer b;
      if (v instanceof Boolean bool) {
        h.write(bool ? 0 : 1);
        continue;
      } else if (v instanceof Byte x) {
        b = ByteBuffer.allocate(2).put((byte) 2).put(x);
      } else if (v instanceof Short x) {
        b = ByteBuffer.allocate(3).put((byte) 3).putShort(x);
      } else if (v instanceof Integer x) {
        b = ByteBuffer.allocate(5).put((byte) 4).putInt(x);
      } else if (v instanceof Long x) {
        b = ByteBuffer.allocate(9).put((byte) 5).putLong(x);
      } else if (v instanceof byte[] x) {
        b = ByteBuffer.allocate(3 + x.length).put((byte) 6).putShort((short) x.length).put(x);
      } else if (v instanceof String x) {
        byte[] s = x.getBytes(StandardCharsets.UTF_8);
        b = ByteBuffer.allocate(3 + s.length).put((byte) 7).putShort((short) s.length).put(s);
      } else if (v instanceof Instant x) {
        b = ByteBuffer.allocate(9).put((byte) 8).putLong(x.toEpochMilli());
      } else if (v instanceof UUID x) {
        b = ByteBuffer.allocate(17).put((byte) 9).putLong(x.getMostSignificantBits())
            .putLong(x.getLeastSignificantBits());
      } else {
        throw new IllegalArgumentException("unsupported header value " + v);
      }
      h.writeBytes(b.array());
    }
    byte[] headerBytes = h.toByteArray();
    int total = 12 + headerBytes.length + payload.length + 4;
    ByteBuffer message = ByteBuffer.allocate(total);
    message.putInt(total).putInt(headerBytes.length);
    message.putInt((int) crc(message.array(), 0, 8));
    message.put(headerBytes).put(payload);
    message.putInt((int) crc(message.array(), 0, total - 4));
    return message.array();
  }

  public static long crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  // --- independent decoder, for expectations

  /** A frame as the test reads it: its string headers and its payload text. */
  public record Frame(Map<String, String> headers, String payload) {}

  /**
   * Splits a body into frames, checking both CRCs, keeping string headers only (the recordings hold
   * nothing else). Deliberately simple and separate from the production reader.
   */
  public static List<Frame> decodeFrames(byte[] body) {
    List<Frame> frames = new ArrayList<>();
    int offset = 0;
    while (offset < body.length) {
      ByteBuffer b = ByteBuffer.wrap(body, offset, body.length - offset).slice();
      int total = b.getInt(0);
      int headersLength = b.getInt(4);
      if (Integer.toUnsignedLong(b.getInt(8)) != crc(body, offset, 8)) {
        throw new IllegalStateException("prelude CRC mismatch at " + offset);
      }
      if (Integer.toUnsignedLong(b.getInt(total - 4)) != crc(body, offset, total - 4)) {
        throw new IllegalStateException("message CRC mismatch at " + offset);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      int p = 12;
      while (p < 12 + headersLength) {
        int nameLength = b.get(p) & 0xff;
        String name = new String(body, offset + p + 1, nameLength, StandardCharsets.UTF_8);
        p += 1 + nameLength;
        int type = b.get(p++);
        if (type != 7) {
          throw new IllegalStateException("test decoder reads string headers only");
        }
        int valueLength = b.getShort(p) & 0xffff;
        headers.put(name, new String(body, offset + p + 2, valueLength, StandardCharsets.UTF_8));
        p += 2 + valueLength;
      }
      int payloadStart = 12 + headersLength;
      String payload = new String(body, offset + payloadStart, total - 4 - payloadStart,
          StandardCharsets.UTF_8);
      frames.add(new Frame(headers, payload));
      offset += total;
    }
    return frames;
  }

  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

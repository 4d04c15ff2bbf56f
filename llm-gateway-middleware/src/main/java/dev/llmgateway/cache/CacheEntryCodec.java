package dev.llmgateway.cache;

import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link CacheEntry} into bytes and back, for stores outside the JVM (Redis). The middleware has
 * no JSON library, so the format is a small binary one, big-endian as {@link DataOutputStream} writes it:
 *
 * <pre>
 * entry    = magic:int32 0x4C474331 ("LGC1")  storedAtSeconds:int64  storedAtNanos:int32  group:str
 *            id:nstr  model:str  provider:str  finishReason:str  rawFinishReason:nstr
 *            input:int64 output:int64 cachedInput:int64 cacheWriteInput:int64 reasoning:int64 estimated:bool
 *            refusal:nstr  requestId:nstr
 *            role:str  name:nstr  partCount:int32  part*
 * part     = 'T' text:str
 *          | 'I' url:nstr base64Data:nstr mediaType:nstr detail:nstr
 *          | 'C' id:str name:str arguments:str
 *          | 'R' toolCallId:str toolName:nstr content:str isError:bool
 *          | 'H' text:str signature:nstr redacted:bool
 * str      = length:int32 utf8Bytes
 * nstr     = present:bool [str]
 * </pre>
 *
 * Enum values are written by name; an unknown finish reason reads as {@link FinishReason#OTHER}, so a
 * newer writer does not break an older reader. A different magic (a future format) reads as
 * {@link CacheEntryFormatException}, which stores should treat as a miss.
 */
public final class CacheEntryCodec {
  /** The first four bytes of every encoded entry: "LGC1". */
  public static final int MAGIC = 0x4C474331;

  private CacheEntryCodec() {}

  /** The bytes of {@code entry}. */
  public static byte[] encode(CacheEntry entry) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeLong(entry.storedAt().getEpochSecond());
      out.writeInt(entry.storedAt().getNano());
      str(out, entry.group());
      ChatResponse r = entry.response();
      nstr(out, r.id());
      str(out, r.model());
      str(out, r.provider());
      str(out, r.finishReason().name());
      nstr(out, r.rawFinishReason());
      Usage u = r.usage();
      out.writeLong(u.inputTokens());
      out.writeLong(u.outputTokens());
      out.writeLong(u.cachedInputTokens());
      out.writeLong(u.cacheWriteInputTokens());
      out.writeLong(u.reasoningTokens());
      out.writeBoolean(u.estimated());
      nstr(out, r.refusal());
      nstr(out, r.requestId());
      Message m = r.message();
      str(out, m.role().name());
      nstr(out, m.name());
      out.writeInt(m.content().size());
      for (ContentPart part : m.content()) {
        part(out, part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * The entry {@code bytes} encode.
   *
   * @throws CacheEntryFormatException when they are not an entry this version can read
   */
  public static CacheEntry decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) {
        throw new CacheEntryFormatException("not a cache entry of format LGC1");
      }
      Instant storedAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
      String group = str(in);
      ChatResponse.Builder r = ChatResponse.builder()
          .id(nstr(in))
          .model(str(in))
          .provider(str(in))
          .finishReason(finishReason(str(in)))
          .rawFinishReason(nstr(in))
          .usage(new Usage(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
              in.readBoolean()))
          .refusal(nstr(in))
          .requestId(nstr(in));
      Role role = Role.valueOf(str(in));
      String name = nstr(in);
      int count = in.readInt();
      if (count < 0 || count > bytes.length) {
        throw new CacheEntryFormatException("cache entry has a bad part count");
      }
      List<ContentPart> parts = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        parts.add(part(in));
      }
      if (in.read() != -1) {
        throw new CacheEntryFormatException("cache entry has trailing bytes");
      }
      return new CacheEntry(r.message(new Message(role, parts, name)).build(), group, storedAt);
    } catch (IOException | RuntimeException e) {
      if (e instanceof CacheEntryFormatException f) {
        throw f;
      }
      throw new CacheEntryFormatException("unreadable cache entry: " + e.getClass().getSimpleName());
    }
  }

  private static ContentPart part(DataInputStream in) throws IOException {
    int tag = in.readByte();
    return switch (tag) {
      case 'T' -> new ContentPart.Text(str(in));
      case 'I' -> new ContentPart.Image(nstr(in), nstr(in), nstr(in), nstr(in));
      case 'C' -> new ContentPart.ToolCall(str(in), str(in), str(in));
      case 'R' -> new ContentPart.ToolResult(str(in), nstr(in), str(in), in.readBoolean());
      case 'H' -> new ContentPart.Thinking(str(in), nstr(in), in.readBoolean());
      default -> throw new CacheEntryFormatException("cache entry has an unknown part tag " + tag);
    };
  }

  private static FinishReason finishReason(String name) {
    try {
      return FinishReason.valueOf(name);
    } catch (IllegalArgumentException e) {
      return FinishReason.OTHER;
    }
  }

  private static String str(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new CacheEntryFormatException("cache entry has a bad string length");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static @Nullable String nstr(DataInputStream in) throws IOException {
    return in.readBoolean() ? str(in) : null;
  }

  private static void part(DataOutputStream out, ContentPart part) throws IOException {
    if (part instanceof ContentPart.Text t) {
      out.writeByte('T');
      str(out, t.text());
    } else if (part instanceof ContentPart.Image i) {
      out.writeByte('I');
      nstr(out, i.url());
      nstr(out, i.base64Data());
      nstr(out, i.mediaType());
      nstr(out, i.detail());
    } else if (part instanceof ContentPart.ToolCall c) {
      out.writeByte('C');
      str(out, c.id());
      str(out, c.name());
      str(out, c.arguments());
    } else if (part instanceof ContentPart.ToolResult r) {
      out.writeByte('R');
      str(out, r.toolCallId());
      nstr(out, r.toolName());
      str(out, r.content());
      out.writeBoolean(r.isError());
    } else if (part instanceof ContentPart.Thinking h) {
      out.writeByte('H');
      str(out, h.text());
      nstr(out, h.signature());
      out.writeBoolean(h.redacted());
    }
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void nstr(DataOutputStream out, @Nullable String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      str(out, s);
    }
  }
}

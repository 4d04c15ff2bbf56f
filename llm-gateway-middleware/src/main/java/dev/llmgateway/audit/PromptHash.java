package dev.llmgateway.audit;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Identifies a prompt without keeping it: SHA-256 (or, with a key, HMAC-SHA-256) of the request's
 * canonical prompt. Two requests with the same conversation hash alike whatever their model, sampling
 * parameters, tools or metadata, so the audit log can tell that the same prompt was sent again, or match
 * a prompt the host still has, without storing it.
 *
 * <p>The canonical prompt is the messages in order; each message is its role, its name and its parts,
 * each part its kind and fields (text; an image's URL, or its media type and the SHA-256 of its data; a
 * tool call's id, name and arguments; a tool result's call id, tool name, content and error flag; thinking
 * text), every field written as its length in UTF-8 bytes, a colon and the bytes, so no two different
 * prompts share a canonical form.
 *
 * <p>A plain hash of a short or guessable prompt ("yes") can be found by trying candidates; set a key
 * ({@link AuditListener.Builder#promptHashKey}) to make hashes useless to anyone without it.
 */
public final class PromptHash {
  private PromptHash() {}

  /** {@code sha256:<64 hex digits>} of the canonical prompt of {@code request}. */
  public static String of(ChatRequest request) {
    return of(request, null);
  }

  /**
   * {@code hmac-sha256:<hex>} of the canonical prompt keyed with {@code key}, or {@code sha256:<hex>} when
   * {@code key} is null.
   */
  public static String of(ChatRequest request, @Nullable Secret key) {
    byte[] canonical = canonical(request);
    try {
      if (key == null) {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(canonical));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** The canonical prompt of {@code request}, as bytes. */
  static byte[] canonical(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    StringBuilder sb = new StringBuilder();
    for (Message m : request.messages()) {
      field(sb, "message");
      field(sb, m.role().name());
      field(sb, m.name() == null ? "" : m.name());
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) {
          field(sb, "text");
          field(sb, t.text());
        } else if (part instanceof ContentPart.Image i) {
          field(sb, "image");
          if (i.url() != null) {
            field(sb, i.url());
          } else {
            field(sb, String.valueOf(i.mediaType()));
            field(sb, sha256Hex(String.valueOf(i.base64Data())));
          }
        } else if (part instanceof ContentPart.ToolCall c) {
          field(sb, "toolCall");
          field(sb, c.id());
          field(sb, c.name());
          field(sb, c.arguments());
        } else if (part instanceof ContentPart.ToolResult r) {
          field(sb, "toolResult");
          field(sb, r.toolCallId());
          field(sb, r.toolName() == null ? "" : r.toolName());
          field(sb, r.content());
          field(sb, Boolean.toString(r.isError()));
        } else if (part instanceof ContentPart.Thinking th) {
          field(sb, "thinking");
          field(sb, th.text());
        }
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder sb, String value) {
    sb.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value);
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}

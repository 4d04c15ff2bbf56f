package dev.llmgateway.redaction.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.redaction.PiiMatch;
import dev.llmgateway.redaction.RedactionMode;
import dev.llmgateway.redaction.RedactionPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Applies a {@link RedactionPolicy} to a request: text parts of every message (system prompts
 * included), tool-call arguments and tool results. JSON (tool arguments, and tool results that start like
 * JSON) is redacted inside its string literals, decoded, so the result stays valid JSON; a value found
 * outside a literal (a card number written as a JSON number) is replaced by a quoted mask or placeholder.
 * Images and thinking blocks are passed through: the first cannot be read, the second is signed by the
 * provider and must go back unchanged.
 */
public final class Redactor {
  private final RedactionPolicy policy;
  private final byte[] salt;

  public Redactor(RedactionPolicy policy) {
    this.policy = policy;
    this.salt = policy.hashSalt().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code request} redacted; {@code request} itself when nothing was found. */
  public ChatRequest redact(ChatRequest request, PlaceholderVault vault, Tally tally) {
    for (Message message : request.messages()) {
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.Text t) {
          vault.reserveLiteralsIn(t.text());
        } else if (part instanceof ContentPart.ToolCall c) {
          vault.reserveLiteralsIn(c.arguments());
        } else if (part instanceof ContentPart.ToolResult r) {
          vault.reserveLiteralsIn(r.content());
        }
      }
    }
    List<Message> messages = null;
    for (int i = 0; i < request.messages().size(); i++) {
      Message original = request.messages().get(i);
      Message redacted = redact(original, vault, tally);
      if (redacted != original && messages == null) {
        messages = new ArrayList<>(request.messages().subList(0, i));
      }
      if (messages != null) {
        messages.add(redacted);
      }
    }
    return messages == null ? request : request.toBuilder().messages(messages).build();
  }

  private Message redact(Message message, PlaceholderVault vault, Tally tally) {
    List<ContentPart> parts = null;
    for (int i = 0; i < message.content().size(); i++) {
      ContentPart original = message.content().get(i);
      ContentPart redacted = redact(original, vault, tally);
      if (redacted != original && parts == null) {
        parts = new ArrayList<>(message.content().subList(0, i));
      }
      if (parts != null) {
        parts.add(redacted);
      }
    }
    return parts == null ? message : new Message(message.role(), parts, message.name());
  }

  private ContentPart redact(ContentPart part, PlaceholderVault vault, Tally tally) {
    if (part instanceof ContentPart.Text t) {
      String text = redactText(t.text(), vault, tally, false);
      return text.equals(t.text()) ? part : new ContentPart.Text(text);
    }
    if (part instanceof ContentPart.ToolCall c) {
      String args = redactJson(c.arguments(), vault, tally);
      return args.equals(c.arguments()) ? part : new ContentPart.ToolCall(c.id(), c.name(), args);
    }
    if (part instanceof ContentPart.ToolResult r) {
      String content = JsonText.looksLikeJson(r.content())
          ? redactJson(r.content(), vault, tally)
          : redactText(r.content(), vault, tally, false);
      return content.equals(r.content()) ? part
          : new ContentPart.ToolResult(r.toolCallId(), r.toolName(), content, r.isError());
    }
    return part;
  }

  /**
   * {@code json} with its string literals (and the stretches between them) redacted; redacted as plain
   * text when it is not well-formed.
   */
  public String redactJson(String json, PlaceholderVault vault, Tally tally) {
    String rewritten = JsonText.rewrite(json, s -> redactText(s, vault, tally, false),
        s -> redactText(s, vault, tally, true));
    return rewritten != null ? rewritten : redactText(json, vault, tally, false);
  }

  /**
   * {@code text} with every match replaced as its type's mode says; values of a REFUSE type are left
   * in place and recorded in {@code tally}, which the caller turns into a refusal.
   */
  public String redactText(String text, PlaceholderVault vault, Tally tally, boolean quoted) {
    List<PiiMatch> matches = policy.detect(text);
    if (matches.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (PiiMatch m : matches) {
      tally.found(m.type());
      RedactionMode mode = policy.modeFor(m.type());
      String replacement = switch (mode) {
        case ALLOW -> null;
        case REFUSE -> {
          tally.refused(m.type());
          yield null;
        }
        case MASK -> "[" + m.type().name() + "]";
        case HASH -> "[" + m.type().name() + ":" + hash(m) + "]";
        case PLACEHOLDER -> vault.placeholderFor(m.type(), m.value());
      };
      if (replacement == null) {
        continue;
      }
      out.append(text, at, m.start());
      if (quoted) {
        out.append('"').append(replacement).append('"');
      } else {
        out.append(replacement);
      }
      at = m.end();
    }
    out.append(text, at, text.length());
    return out.toString();
  }

  /** The first hex digits of SHA-256(salt, 0, type, 0, value). */
  String hash(PiiMatch m) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    sha.update(salt);
    sha.update((byte) 0);
    sha.update(m.type().name().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    byte[] digest = sha.digest(m.value().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, policy.hashLength());
  }
}

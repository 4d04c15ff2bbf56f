package dev.llmgateway.cache.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The canonical serialization of everything in a request that can change its answer, and its SHA-256.
 *
 * <p>In: the tenant scope, the model group, every message (role, name, every part: text, images, tool
 * calls with canonical arguments, tool results, thinking blocks), the tools (name, description,
 * canonical schema, strict) in order, the tool choice, parallel tool calls, temperature, top-p, max
 * tokens, stop sequences, seed, penalties, the response format (canonical schema) and every provider
 * option, keys sorted and values canonical. Out: the request's own model string (the group stands for
 * it) and the metadata (user, application, tags), which never change the answer.
 *
 * <p>Every field is written with a tag and every string with its length, so no two different requests
 * serialize alike. JSON texts (schemas, tool arguments) are compared in {@link CanonicalJson} form.
 */
public final class CanonicalRequest {
  /** Bumped whenever the serialization changes, so old entries stop matching instead of matching wrongly. */
  public static final String FORMAT_VERSION = "1";

  private final StringBuilder out = new StringBuilder(512);

  private CanonicalRequest() {}

  /**
   * The hex SHA-256 of the canonical form of {@code request} answered by {@code group} for
   * {@code tenantScope}.
   *
   * @param tenantScope the tenant, or a fixed marker when entries are shared across tenants
   * @param replaceLastUserText whether the last user message's text is left out (the semantic cache's
   *     scope: everything but the question)
   */
  public static String hash(ChatRequest request, String group, String tenantScope,
      boolean replaceLastUserText) {
    CanonicalRequest c = new CanonicalRequest();
    c.write(request, group, tenantScope, replaceLastUserText);
    return sha256(c.out.toString());
  }

  /** The canonical text itself, for tests and debugging (contains prompt text: never log it). */
  public static String text(ChatRequest request, String group, String tenantScope) {
    CanonicalRequest c = new CanonicalRequest();
    c.write(request, group, tenantScope, false);
    return c.out.toString();
  }

  private void write(ChatRequest r, String group, String tenantScope, boolean replaceLastUserText) {
    field("v", FORMAT_VERSION);
    field("tenant", tenantScope);
    field("group", group);
    int lastUser = -1;
    if (replaceLastUserText) {
      for (int i = r.messages().size() - 1; i >= 0; i--) {
        if (r.messages().get(i).role() == dev.llmgateway.Role.USER) {
          lastUser = i;
          break;
        }
      }
    }
    out.append("messages#").append(r.messages().size()).append(';');
    for (int i = 0; i < r.messages().size(); i++) {
      message(r.messages().get(i), i == lastUser);
    }
    out.append("tools#").append(r.tools().size()).append(';');
    for (ToolDefinition t : r.tools()) {
      field("tool.name", t.name());
      field("tool.description", t.description());
      field("tool.schema", CanonicalJson.ofText(t.parametersSchema()));
      field("tool.strict", t.strict());
    }
    ToolChoice choice = r.toolChoice();
    field("toolChoice", choice == null ? null : choice.mode() + "/" + choice.toolName());
    field("parallelToolCalls", r.parallelToolCalls());
    number("temperature", r.temperature());
    number("topP", r.topP());
    field("maxTokens", r.maxTokens());
    out.append("stop#").append(r.stop().size()).append(';');
    for (String s : r.stop()) {
      field("stop", s);
    }
    field("seed", r.seed());
    number("frequencyPenalty", r.frequencyPenalty());
    number("presencePenalty", r.presencePenalty());
    ResponseFormat format = r.responseFormat();
    if (format == null) {
      field("responseFormat", null);
    } else {
      field("responseFormat", format.type().name());
      field("responseFormat.name", format.schemaName());
      field("responseFormat.schema",
          format.schema() == null ? null : CanonicalJson.ofText(format.schema()));
      field("responseFormat.strict", format.strict());
    }
    TreeMap<String, Object> options = new TreeMap<>(r.providerOptions());
    out.append("options#").append(options.size()).append(';');
    for (Map.Entry<String, Object> e : options.entrySet()) {
      field("option.name", e.getKey());
      field("option.value", CanonicalJson.ofValue(e.getValue()));
    }
  }

  private void message(Message m, boolean replaceText) {
    field("role", m.role().name());
    field("name", m.name());
    out.append("parts#").append(m.content().size()).append(';');
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Text t) {
        field("text", replaceText ? "<question>" : t.text());
      } else if (part instanceof ContentPart.Image img) {
        field("image.url", img.url());
        field("image.data", img.base64Data());
        field("image.mediaType", img.mediaType());
        field("image.detail", img.detail());
      } else if (part instanceof ContentPart.ToolCall call) {
        field("call.id", call.id());
        field("call.name", call.name());
        field("call.arguments", CanonicalJson.ofText(call.arguments()));
      } else if (part instanceof ContentPart.ToolResult result) {
        field("result.id", result.toolCallId());
        field("result.name", result.toolName());
        field("result.content", result.content());
        field("result.error", result.isError());
      } else if (part instanceof ContentPart.Thinking thinking) {
        field("thinking.text", thinking.text());
        field("thinking.signature", thinking.signature());
        field("thinking.redacted", thinking.redacted());
      }
    }
  }

  private void number(String name, @Nullable Double value) {
    field(name, value == null ? null
        : value == 0 ? "0" : new BigDecimal(value.toString()).stripTrailingZeros().toString());
  }

  private void field(String name, @Nullable Object value) {
    out.append(name);
    if (value == null) {
      out.append("=~;");
      return;
    }
    String s = value.toString();
    out.append('=').append(s.length()).append(':').append(s).append(';');
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

package dev.llmgateway.provider.bedrock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Converse response body into a {@link ChatResponse}, and holds what the stream decoder shares
 * with it (finish reasons, usage).
 *
 * <p>{@code output.message.content} blocks, in order: {@code text} to {@link ContentPart.Text};
 * {@code toolUse{toolUseId,name,input}} to {@link ContentPart.ToolCall} with the {@code input} object
 * serialized as JSON text; {@code reasoningContent.reasoningText{text,signature}} to
 * {@link ContentPart.Thinking}, and {@code reasoningContent.redactedContent} to a redacted
 * {@link ContentPart.Thinking} whose signature holds the (base64) data. Other blocks (images, documents,
 * citations, guardrail content) have no place in the common model and are skipped. The response carries
 * no model name or response id: the model is the one asked for, the request id the
 * {@code x-amzn-RequestId} header.
 */
public final class BedrockResponseDecoder {
  private final ObjectMapper mapper;

  public BedrockResponseDecoder(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * Decodes a successful response body.
   *
   * @throws MalformedResponseException when the body is not a JSON object
   */
  public ChatResponse decode(byte[] body, ErrorContext context, String provider, String model) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw new MalformedResponseException(provider + " answered with a body that is not valid JSON ("
          + body.length + " bytes)", context, e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedResponseException(provider + " answered with a body that is not a JSON object",
          context, null);
    }
    List<ContentPart> parts = new ArrayList<>();
    JsonNode content = root.path("output").path("message").path("content");
    if (content.isArray()) {
      int position = 0;
      for (JsonNode block : content) {
        ContentPart part = block(block, position, provider, context);
        if (part != null) {
          parts.add(part);
        }
        position++;
      }
    }
    if (parts.isEmpty()) {
      parts.add(new ContentPart.Text(""));
    }
    String raw = text(root.get("stopReason"));
    Usage usage = usage(root.get("usage"));
    return ChatResponse.builder()
        .model(model)
        .provider(provider)
        .message(new Message(Role.ASSISTANT, parts))
        .finishReason(finishReason(raw))
        .rawFinishReason(raw)
        .usage(usage != null ? usage : Usage.ZERO)
        .requestId(context.requestId())
        .build();
  }

  private @Nullable ContentPart block(JsonNode block, int position, String provider,
      ErrorContext context) {
    if (block.has("text")) {
      String t = text(block.get("text"));
      return new ContentPart.Text(t != null ? t : "");
    }
    JsonNode toolUse = block.get("toolUse");
    if (toolUse != null && toolUse.isObject()) {
      String name = text(toolUse.get("name"));
      if (name == null || name.isBlank()) {
        throw new MalformedResponseException(provider + " sent a toolUse block without a name",
            context, null);
      }
      String id = nonEmpty(text(toolUse.get("toolUseId")));
      return new ContentPart.ToolCall(id != null ? id : "tooluse_" + position, name,
          inputJson(toolUse.get("input")));
    }
    JsonNode reasoning = block.get("reasoningContent");
    if (reasoning != null && reasoning.isObject()) {
      JsonNode reasoningText = reasoning.get("reasoningText");
      if (reasoningText != null && reasoningText.isObject()) {
        String t = text(reasoningText.get("text"));
        return new ContentPart.Thinking(t != null ? t : "",
            nonEmpty(text(reasoningText.get("signature"))), false);
      }
      String redacted = nonEmpty(text(reasoning.get("redactedContent")));
      if (redacted != null) {
        return new ContentPart.Thinking("", redacted, true);
      }
    }
    return null;
  }

  /**
   * The unified finish reason of a Converse {@code stopReason}: {@code end_turn} and
   * {@code stop_sequence} stop; {@code max_tokens} and {@code model_context_window_exceeded} are length;
   * {@code tool_use} is tool calls; {@code guardrail_intervened} and {@code content_filtered} are a
   * content filter; {@code malformed_model_output} and {@code malformed_tool_use} are an error. Anything
   * else, including null, is {@link FinishReason#OTHER}.
   */
  public static FinishReason finishReason(@Nullable String raw) {
    if (raw == null) {
      return FinishReason.OTHER;
    }
    return switch (raw) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
      case "malformed_model_output", "malformed_tool_use" -> FinishReason.ERROR;
      default -> FinishReason.OTHER;
    };
  }

  /**
   * The usage of a Converse {@code usage} object in the gateway's terms; null when absent.
   *
   * <p>Bedrock's {@code inputTokens} counts only the input that was neither read from nor written to the
   * prompt cache; {@code cacheReadInputTokens} and {@code cacheWriteInputTokens} come on top of it (as
   * with Anthropic's own API). The gateway's input count includes cached tokens, so input =
   * {@code inputTokens + cacheReadInputTokens + cacheWriteInputTokens}; cached = cache reads; cache
   * writes = cache writes; output = {@code outputTokens}. Bedrock does not report reasoning tokens apart
   * from output tokens, so they stay 0. Negative or non-numeric counts are taken as 0.
   */
  public static @Nullable Usage usage(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long input = count(usage.get("inputTokens"));
    long cacheRead = count(usage.get("cacheReadInputTokens"));
    long cacheWrite = count(usage.get("cacheWriteInputTokens"));
    long output = count(usage.get("outputTokens"));
    return new Usage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, 0, false);
  }

  /** A tool {@code input} as JSON text: {@code "{}"} when absent or null, else the node serialized. */
  static String inputJson(@Nullable JsonNode input) {
    if (input == null || input.isNull() || input.isMissingNode()) {
      return "{}";
    }
    return input.toString();
  }

  /** A text node's value; null for a missing, null or non-text node. */
  static @Nullable String text(@Nullable JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  static @Nullable String nonEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static long count(@Nullable JsonNode node) {
    return node == null || !node.isNumber() ? 0 : Math.max(0, node.asLong());
  }
}

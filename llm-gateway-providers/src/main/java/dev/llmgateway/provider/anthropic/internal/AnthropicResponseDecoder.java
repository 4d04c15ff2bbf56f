package dev.llmgateway.provider.anthropic.internal;

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
 * Reads an Anthropic Messages response body into a {@link ChatResponse}, and holds what the stream
 * decoder shares with it (finish reasons, tool input text).
 *
 * <p>Content blocks, in order: {@code text} to {@link ContentPart.Text}; {@code tool_use} to
 * {@link ContentPart.ToolCall} with its {@code input} object serialized as JSON text; {@code thinking} to
 * {@link ContentPart.Thinking} with its signature; {@code redacted_thinking} to a redacted
 * {@link ContentPart.Thinking} whose signature holds the {@code data}. Other block types (server tools,
 * their results) have no place in the common model and are skipped. For a {@code refusal} the
 * {@code stop_details.explanation}, when sent, becomes {@link ChatResponse#refusal()}.
 */
public final class AnthropicResponseDecoder {
  private final ObjectMapper mapper;
  private final AnthropicErrorDecoder errors;

  public AnthropicResponseDecoder(ObjectMapper mapper, AnthropicErrorDecoder errors) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /**
   * Decodes a successful response body.
   *
   * @param body the body bytes
   * @param context provider, model, status and request id, for exceptions and the response
   * @param provider the provider name to report
   * @param requestedModel the model asked for, used when the body names none
   * @throws MalformedResponseException when the body is not a JSON object
   */
  public ChatResponse decode(byte[] body, ErrorContext context, String provider,
      String requestedModel) {
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
    if ("error".equals(text(root.get("type")))) {
      throw errors.fromStreamError(root, context);
    }
    List<ContentPart> parts = new ArrayList<>();
    JsonNode content = root.get("content");
    if (content != null && content.isArray()) {
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
    String raw = text(root.get("stop_reason"));
    Usage usage = AnthropicUsageTally.of(root.get("usage"));
    String model = nonEmpty(text(root.get("model")));
    String requestId = context.requestId() != null ? context.requestId()
        : text(root.get("request_id"));
    return ChatResponse.builder()
        .id(nonEmpty(text(root.get("id"))))
        .model(model != null ? model : requestedModel)
        .provider(provider)
        .message(new Message(Role.ASSISTANT, parts))
        .finishReason(finishReason(raw))
        .rawFinishReason(raw)
        .usage(usage != null ? usage : Usage.ZERO)
        .refusal("refusal".equals(raw) ? refusalExplanation(root.get("stop_details")) : null)
        .requestId(requestId)
        .build();
  }

  private @Nullable ContentPart block(JsonNode block, int position, String provider,
      ErrorContext context) {
    String type = text(block.get("type"));
    if (type == null) {
      return null;
    }
    switch (type) {
      case "text" -> {
        String t = text(block.get("text"));
        return new ContentPart.Text(t != null ? t : "");
      }
      case "tool_use" -> {
        String name = text(block.get("name"));
        if (name == null || name.isBlank()) {
          throw new MalformedResponseException(provider + " sent a tool_use block without a name",
              context, null);
        }
        String id = nonEmpty(text(block.get("id")));
        return new ContentPart.ToolCall(id != null ? id : "toolu_" + position, name,
            inputJson(block.get("input")));
      }
      case "thinking" -> {
        String t = text(block.get("thinking"));
        return new ContentPart.Thinking(t != null ? t : "", nonEmpty(text(block.get("signature"))),
            false);
      }
      case "redacted_thinking" -> {
        return new ContentPart.Thinking("", nonEmpty(text(block.get("data"))), true);
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * The unified finish reason of an Anthropic {@code stop_reason}: {@code end_turn},
   * {@code stop_sequence} and {@code pause_turn} stop; {@code max_tokens} and
   * {@code model_context_window_exceeded} are length; {@code tool_use} is tool calls; {@code refusal} is
   * a content filter. Anything else, including null, is {@link FinishReason#OTHER}.
   */
  public static FinishReason finishReason(@Nullable String raw) {
    if (raw == null) {
      return FinishReason.OTHER;
    }
    return switch (raw) {
      case "end_turn", "stop_sequence", "pause_turn" -> FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** A tool {@code input} as JSON text: {@code "{}"} when absent or null, else the node serialized. */
  public static String inputJson(@Nullable JsonNode input) {
    if (input == null || input.isNull() || input.isMissingNode()) {
      return "{}";
    }
    return input.toString();
  }

  /** {@code stop_details.explanation}; null when absent. */
  public static @Nullable String refusalExplanation(@Nullable JsonNode stopDetails) {
    return stopDetails == null ? null : nonEmpty(text(stopDetails.get("explanation")));
  }

  /** A text node's value; null for a missing, null or non-text node. */
  public static @Nullable String text(@Nullable JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  static @Nullable String nonEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}

package dev.llmgateway.provider.openai.internal;

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
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OpenAI {@code chat.completion} body into a {@link ChatResponse}, and holds the pieces the
 * streaming decoder shares (finish reasons, usage, choice selection).
 *
 * <p>Only choice 0 is read: the gateway asks for one answer, and with {@code n > 1} the other choices are
 * ignored. Content, refusal, tool calls (arguments kept as the JSON text the provider sent) and, from
 * compatible servers such as DeepSeek and vLLM, {@code reasoning_content} as a {@link ContentPart.Thinking}
 * part. Unknown fields are ignored.
 */
public final class OpenAiResponseDecoder {
  private final ObjectMapper mapper;
  private final OpenAiErrorDecoder errors;

  public OpenAiResponseDecoder(ObjectMapper mapper, OpenAiErrorDecoder errors) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /**
   * Decodes a successful response body.
   *
   * @param body the body bytes
   * @param context provider, model, status and request id, for exceptions
   * @param provider the provider name to report
   * @param requestedModel the model asked for, used when the body names none
   * @throws MalformedResponseException when the body is not JSON or has no choice 0
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
    JsonNode choice = choiceZero(root);
    if (choice == null) {
      if (OpenAiErrorDecoder.isError(root)) {
        throw errors.fromSuccessBody(root, context);
      }
      throw new MalformedResponseException(provider + " answered without choice 0", context, null);
    }
    JsonNode message = choice.path("message");
    List<ContentPart> parts = new ArrayList<>();
    String reasoning = text(message.get("reasoning_content"));
    if (reasoning != null && !reasoning.isEmpty()) {
      parts.add(new ContentPart.Thinking(reasoning, null, false));
    }
    String content = contentText(message.get("content"));
    if (content != null && !content.isEmpty()) {
      parts.add(new ContentPart.Text(content));
    }
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      int position = 0;
      for (JsonNode call : toolCalls) {
        JsonNode function = call.path("function");
        String name = text(function.get("name"));
        if (name == null || name.isBlank()) {
          throw new MalformedResponseException(provider + " sent a tool call without a name", context,
              null);
        }
        String id = text(call.get("id"));
        parts.add(new ContentPart.ToolCall(id != null && !id.isEmpty() ? id : "call_" + position, name,
            arguments(function.get("arguments"))));
        position++;
      }
    }
    if (parts.isEmpty()) {
      parts.add(new ContentPart.Text(""));
    }
    String raw = text(choice.get("finish_reason"));
    JsonNode usage = root.get("usage");
    Usage decodedUsage = usage(usage);
    String model = nonEmpty(text(root.get("model")));
    return ChatResponse.builder()
        .id(nonEmpty(text(root.get("id"))))
        .model(model != null ? model : requestedModel)
        .provider(provider)
        .message(new Message(Role.ASSISTANT, parts))
        .finishReason(finishReason(raw))
        .rawFinishReason(raw)
        .usage(decodedUsage != null ? decodedUsage : Usage.ZERO)
        .refusal(text(message.get("refusal")))
        .requestId(context.requestId())
        .build();
  }

  /**
   * The unified finish reason of a raw OpenAI-style value: {@code stop}, {@code length},
   * {@code tool_calls}, {@code function_call} (legacy, as tool calls), {@code content_filter}; from
   * compatible servers also {@code model_length} (Mistral) as length, and {@code error} /
   * {@code insufficient_system_resource} (DeepSeek) as error. Anything else, including null, is
   * {@link FinishReason#OTHER}.
   */
  public static FinishReason finishReason(@Nullable String raw) {
    if (raw == null) {
      return FinishReason.OTHER;
    }
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "stop" -> FinishReason.STOP;
      case "length", "model_length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      case "error", "insufficient_system_resource" -> FinishReason.ERROR;
      default -> FinishReason.OTHER;
    };
  }

  /**
   * The usage object: {@code prompt_tokens}, {@code completion_tokens},
   * {@code prompt_tokens_details.cached_tokens} (or DeepSeek's {@code prompt_cache_hit_tokens}) and
   * {@code completion_tokens_details.reasoning_tokens}; null when {@code usage} is absent or null.
   */
  public static @Nullable Usage usage(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    if (cached == 0) {
      cached = usage.path("prompt_cache_hit_tokens").asLong(0);
    }
    return new Usage(
        Math.max(0, usage.path("prompt_tokens").asLong(0)),
        Math.max(0, usage.path("completion_tokens").asLong(0)),
        Math.max(0, cached),
        0,
        Math.max(0, usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0)),
        false);
  }

  /** The element of {@code choices} with {@code index} 0 (or, lacking indexes, the first); null if none. */
  public static @Nullable JsonNode choiceZero(JsonNode root) {
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      return null;
    }
    int position = 0;
    for (JsonNode choice : choices) {
      JsonNode index = choice.get("index");
      int i = index != null && index.canConvertToInt() ? index.asInt() : position;
      if (i == 0) {
        return choice;
      }
      position++;
    }
    return null;
  }

  /** Tool-call arguments as JSON text; an object (sent by some compatible servers) is serialized. */
  public static String arguments(@Nullable JsonNode arguments) {
    if (arguments == null || arguments.isNull()) {
      return "";
    }
    return arguments.isTextual() ? arguments.asText() : arguments.toString();
  }

  /** A text node's value; null for a missing, null or non-text node. */
  public static @Nullable String text(@Nullable JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  /** The text of a {@code content} node: a string, or the joined text of its parts (Mistral, some compatible servers). */
  static @Nullable String contentText(@Nullable JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) { // some compatible servers answer with parts
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        String t = text(part.get("text"));
        if (t != null) {
          sb.append(t);
        }
      }
      return sb.toString();
    }
    return null;
  }

  private static @Nullable String nonEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}

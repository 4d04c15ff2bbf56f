package dev.llmgateway.provider.openai.responses.internal;

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
 * Reads a Responses API {@code response} object into a {@link ChatResponse}, and holds the pieces the
 * stream decoder shares (finish reasons, usage, reasoning items).
 *
 * <p>{@code output[]} items, in order: a {@code message}'s {@code output_text} parts become
 * {@link ContentPart.Text} (adjacent text is joined, empty text skipped) and its {@code refusal} parts the
 * response's refusal; a {@code function_call} becomes a {@link ContentPart.ToolCall} whose id is the
 * item's {@code call_id} (the id a {@code function_call_output} must echo), not its item id; a
 * {@code reasoning} item becomes a {@link ContentPart.Thinking} whose text is the summary parts joined
 * with a blank line and whose signature is the {@code encrypted_content}, with {@code redacted} true
 * when there is one (the signature then holds the reasoning itself, encrypted). A reasoning item with
 * neither is skipped; one without encrypted content is joined with the next reasoning item, as the
 * shared stream accumulator does. Other item types (built-in tools) are ignored.
 *
 * <p>Finish reason from {@code status} and {@code incomplete_details.reason}: see
 * {@link #finishReason}. A {@code failed} response carrying an {@code error} is thrown as the mapped
 * exception, as its streamed twin is.
 */
public final class ResponsesResponseDecoder {
  /** Between summary parts, and between reasoning items joined into one thinking part. */
  public static final String SUMMARY_SEPARATOR = "\n\n";

  private final ObjectMapper mapper;
  private final ResponsesErrorDecoder errors;

  public ResponsesResponseDecoder(ObjectMapper mapper, ResponsesErrorDecoder errors) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /**
   * Decodes a successful (HTTP 2xx) body.
   *
   * @param body the body bytes
   * @param context provider, model, status and request id, for exceptions
   * @param provider the provider name to report
   * @param requestedModel the model asked for, used when the body names none
   * @throws MalformedResponseException when the body is not a JSON response object
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
    JsonNode output = root.get("output");
    JsonNode error = root.get("error");
    if (output == null || !output.isArray()) {
      if (error != null && error.isObject()) {
        throw errors.fromSuccessBody(root, context);
      }
      throw new MalformedResponseException(provider + " answered without an output array", context,
          null);
    }
    String status = text(root.get("status"));
    if ("failed".equals(status) && error != null && error.isObject()) {
      throw errors.fromFailedResponse(root, context);
    }
    return decodeResponse(root, context, provider, requestedModel);
  }

  /** Maps a {@code response} object (blocking body or a stream's terminal event) to a response. */
  public static ChatResponse decodeResponse(JsonNode response, ErrorContext context, String provider,
      String requestedModel) {
    List<ContentPart> parts = new ArrayList<>();
    StringBuilder refusal = new StringBuilder();
    boolean sawRefusal = false;
    for (JsonNode item : response.path("output")) {
      switch (String.valueOf(text(item.get("type")))) {
        case "message" -> {
          for (JsonNode content : item.path("content")) {
            String type = text(content.get("type"));
            if ("output_text".equals(type)) {
              String t = text(content.get("text"));
              if (t != null && !t.isEmpty()) {
                addText(parts, t);
              }
            } else if ("refusal".equals(type)) {
              sawRefusal = true;
              String r = text(content.get("refusal"));
              refusal.append(r != null ? r : "");
            }
          }
        }
        case "function_call" -> parts.add(toolCall(item, countToolCalls(parts), provider, context));
        case "reasoning" -> {
          ContentPart.Thinking thinking = thinking(item);
          if (thinking != null) {
            addThinking(parts, thinking);
          }
        }
        default -> {
          // built-in tool items and future item types carry nothing this model holds
        }
      }
    }
    if (parts.isEmpty()) {
      parts.add(new ContentPart.Text(""));
    }
    String status = text(response.get("status"));
    String incomplete = text(response.path("incomplete_details").get("reason"));
    Usage usage = usage(response.get("usage"));
    String model = nonEmpty(text(response.get("model")));
    return ChatResponse.builder()
        .id(nonEmpty(text(response.get("id"))))
        .model(model != null ? model : requestedModel)
        .provider(provider)
        .message(new Message(Role.ASSISTANT, parts))
        .finishReason(finishReason(status, incomplete, hasFunctionCall(response.path("output"))))
        .rawFinishReason(rawFinishReason(status, incomplete))
        .usage(usage != null ? usage : Usage.ZERO)
        .refusal(sawRefusal ? refusal.toString() : null)
        .requestId(context.requestId())
        .build();
  }

  /**
   * The unified finish reason: {@code completed} is {@link FinishReason#TOOL_CALLS} when the output holds
   * a function call and {@link FinishReason#STOP} otherwise; {@code incomplete} is
   * {@link FinishReason#LENGTH} for {@code max_output_tokens}, {@link FinishReason#CONTENT_FILTER} for
   * {@code content_filter}, else {@link FinishReason#OTHER}; {@code failed} is {@link FinishReason#ERROR};
   * anything else ({@code cancelled}, {@code in_progress}, unknown, null) is {@link FinishReason#OTHER}.
   */
  public static FinishReason finishReason(@Nullable String status, @Nullable String incompleteReason,
      boolean functionCalls) {
    if (status == null) {
      return FinishReason.OTHER;
    }
    return switch (status) {
      case "completed" -> functionCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "incomplete" -> {
        if ("max_output_tokens".equals(incompleteReason)) {
          yield FinishReason.LENGTH;
        }
        yield "content_filter".equals(incompleteReason) ? FinishReason.CONTENT_FILTER : FinishReason.OTHER;
      }
      case "failed" -> FinishReason.ERROR;
      default -> FinishReason.OTHER;
    };
  }

  /** The raw reason kept beside the unified one: the incomplete reason when there is one, else the status. */
  public static @Nullable String rawFinishReason(@Nullable String status,
      @Nullable String incompleteReason) {
    return "incomplete".equals(status) && incompleteReason != null ? incompleteReason : status;
  }

  /** Whether {@code output} holds a {@code function_call} item. */
  public static boolean hasFunctionCall(JsonNode output) {
    for (JsonNode item : output) {
      if ("function_call".equals(text(item.get("type")))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Usage from {@code input_tokens}, {@code input_tokens_details.cached_tokens}, {@code output_tokens}
   * and {@code output_tokens_details.reasoning_tokens}; null when {@code usage} is absent or null.
   */
  public static @Nullable Usage usage(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return new Usage(count(usage.get("input_tokens")), count(usage.get("output_tokens")),
        count(usage.path("input_tokens_details").get("cached_tokens")), 0,
        count(usage.path("output_tokens_details").get("reasoning_tokens")), false);
  }

  /** The thinking part of a reasoning item; null when it has neither summary text nor encrypted content. */
  public static ContentPart.@Nullable Thinking thinking(JsonNode item) {
    String summary = summaryText(item);
    String encrypted = encryptedContent(item);
    if (summary.isEmpty() && encrypted == null) {
      return null;
    }
    return new ContentPart.Thinking(summary, encrypted, encrypted != null);
  }

  /** The non-empty {@code summary_text} parts of a reasoning item, joined with a blank line. */
  public static String summaryText(JsonNode item) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : item.path("summary")) {
      String t = text(part.get("text"));
      if (t != null && !t.isEmpty()) {
        if (sb.length() > 0) {
          sb.append(SUMMARY_SEPARATOR);
        }
        sb.append(t);
      }
    }
    return sb.toString();
  }

  /** The {@code encrypted_content} of a reasoning item; null when absent or empty. */
  public static @Nullable String encryptedContent(JsonNode item) {
    return nonEmpty(text(item.get("encrypted_content")));
  }

  /** The arguments text of a function call item, {@code "{}"} when empty. */
  public static String arguments(JsonNode item) {
    String args = text(item.get("arguments"));
    return args == null || args.isBlank() ? "{}" : args;
  }

  /** The call id of a function call item: {@code call_id}, else the item {@code id}; null when neither. */
  public static @Nullable String callId(JsonNode item) {
    String callId = nonEmpty(text(item.get("call_id")));
    return callId != null ? callId : nonEmpty(text(item.get("id")));
  }

  /** A JSON scalar as text; null for a missing, null or container node. */
  public static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
  }

  static @Nullable String nonEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static ContentPart.ToolCall toolCall(JsonNode item, int position, String provider,
      ErrorContext context) {
    String name = text(item.get("name"));
    if (name == null || name.isBlank()) {
      throw new MalformedResponseException(provider + " sent a function call without a name", context,
          null);
    }
    String id = callId(item);
    return new ContentPart.ToolCall(id != null ? id : "call_" + position, name, arguments(item));
  }

  private static int countToolCalls(List<ContentPart> parts) {
    int n = 0;
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.ToolCall) {
        n++;
      }
    }
    return n;
  }

  private static void addText(List<ContentPart> parts, String text) {
    int last = parts.size() - 1;
    if (last >= 0 && parts.get(last) instanceof ContentPart.Text previous) {
      parts.set(last, new ContentPart.Text(previous.text() + text));
    } else {
      parts.add(new ContentPart.Text(text));
    }
  }

  private static void addThinking(List<ContentPart> parts, ContentPart.Thinking thinking) {
    int last = parts.size() - 1;
    if (last >= 0 && parts.get(last) instanceof ContentPart.Thinking previous
        && previous.signature() == null) {
      String separator = previous.text().isEmpty() || thinking.text().isEmpty() ? "" : SUMMARY_SEPARATOR;
      parts.set(last, new ContentPart.Thinking(previous.text() + separator + thinking.text(),
          thinking.signature(), previous.redacted() || thinking.redacted()));
    } else {
      parts.add(thinking);
    }
  }

  private static long count(@Nullable JsonNode node) {
    return node == null || !node.canConvertToLong() ? 0 : Math.max(0, node.asLong());
  }
}

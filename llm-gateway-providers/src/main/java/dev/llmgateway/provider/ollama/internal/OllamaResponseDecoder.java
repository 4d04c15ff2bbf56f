package dev.llmgateway.provider.ollama.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
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
 * Reads an Ollama {@code /api/chat} answer (the body of a {@code stream: false} call) into a
 * {@link ChatResponse}, and holds what the stream decoder shares with it.
 *
 * <ul>
 *   <li>{@code message.thinking} becomes a {@link ContentPart.Thinking} (no signature), then
 *       {@code message.content} a {@link ContentPart.Text} (skipped when empty), then each of
 *       {@code message.tool_calls} a {@link ContentPart.ToolCall}: the {@code function.arguments} object
 *       serialized as JSON text ({@code {}} when absent; a string is taken as already serialized), and the
 *       call's {@code id} when the server sent one, else a made-up {@code call_<n>} numbered from 0 in
 *       the order of the calls (older servers send no ids; Ollama matches results by tool name anyway);
 *   <li>{@code done_reason}: {@code stop} is {@link FinishReason#STOP}, or
 *       {@link FinishReason#TOOL_CALLS} when tool calls came back (Ollama says {@code stop} for those
 *       too); {@code length} is {@link FinishReason#LENGTH}; {@code load}, {@code unload} and anything
 *       unknown are {@link FinishReason#OTHER}; the raw value is kept. Servers that predate
 *       {@code done_reason} send none: that counts as {@code stop} with a null raw value;
 *   <li>usage: {@code prompt_eval_count} is input, {@code eval_count} output. Ollama leaves
 *       {@code prompt_eval_count} out when the whole prompt came from its cache, so a missing count is
 *       reported as 0 (the usage is then a lower bound, not an estimate);
 *   <li>the model is the body's {@code model}, else the one asked for; there is no response id; the
 *       request id is an {@code x-request-id} header, which only a proxy in front of Ollama adds.
 * </ul>
 *
 * <p>A body with an {@code error} field is thrown as the mapped error; one that is not a JSON object, or
 * that has the {@code /api/generate} shape ({@code response} instead of {@code message}), is a
 * {@link MalformedResponseException}.
 */
public final class OllamaResponseDecoder {
  private final ObjectMapper mapper;
  private final OllamaErrorDecoder errors;

  public OllamaResponseDecoder(ObjectMapper mapper, OllamaErrorDecoder errors) {
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
    if (OllamaErrorDecoder.errorMessage(root) != null) {
      throw errors.fromErrorBody(root, context);
    }
    JsonNode message = root.get("message");
    if (message == null || !message.isObject()) {
      throw notChat(root, provider, context);
    }
    List<ContentPart> parts = new ArrayList<>();
    String thinking = text(message.get("thinking"));
    if (thinking != null && !thinking.isEmpty()) {
      parts.add(new ContentPart.Thinking(thinking, null, false));
    }
    String content = text(message.get("content"));
    if (content != null && !content.isEmpty()) {
      parts.add(new ContentPart.Text(content));
    }
    int calls = 0;
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode call : toolCalls) {
        parts.add(toolCall(call, calls, provider, context));
        calls++;
      }
    }
    if (parts.isEmpty()) {
      parts.add(new ContentPart.Text(""));
    }
    String raw = text(root.get("done_reason"));
    String model = text(root.get("model"));
    return ChatResponse.builder()
        .id(null)
        .model(model != null && !model.isBlank() ? model : requestedModel)
        .provider(provider)
        .message(new Message(Role.ASSISTANT, parts))
        .finishReason(finishReason(raw, calls > 0))
        .rawFinishReason(raw)
        .usage(usage(root))
        .requestId(context.requestId())
        .build();
  }

  /** The common finish reason for {@code done_reason} {@code raw}. */
  public static FinishReason finishReason(@Nullable String raw, boolean returnedToolCalls) {
    if (raw == null || raw.equals("stop")) {
      return returnedToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }
    return raw.equals("length") ? FinishReason.LENGTH : FinishReason.OTHER;
  }

  /** The usage of a final ({@code done: true}) object; a missing count is 0. */
  public static Usage usage(JsonNode root) {
    return Usage.of(count(root.get("prompt_eval_count")), count(root.get("eval_count")));
  }

  /**
   * One entry of {@code message.tool_calls} as a {@link ContentPart.ToolCall}.
   *
   * @param position the call's position in the answer (across stream lines), for the made-up id
   */
  ContentPart.ToolCall toolCall(JsonNode call, int position, String provider, ErrorContext context) {
    JsonNode function = call.path("function");
    String name = text(function.get("name"));
    if (name == null || name.isBlank()) {
      throw new MalformedResponseException(provider + " returned a tool call without a function name",
          context, null);
    }
    String id = text(call.get("id"));
    return new ContentPart.ToolCall(id != null && !id.isBlank() ? id : madeUpId(position), name,
        arguments(function.get("arguments"), provider, context));
  }

  /** The id given to the call at {@code position} when the server sent none. */
  public static String madeUpId(int position) {
    return "call_" + position;
  }

  private String arguments(@Nullable JsonNode arguments, String provider, ErrorContext context) {
    if (arguments == null || arguments.isNull()) {
      return "{}";
    }
    if (arguments.isTextual()) {
      String text = arguments.asText();
      return text.isBlank() ? "{}" : text;
    }
    try {
      return mapper.writeValueAsString(arguments);
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException("could not serialize the tool-call arguments of " + provider,
          context, e);
    }
  }

  /**
   * The error for an object that is not a chat answer: named specially when it has the
   * {@code /api/generate} shape, which a misconfigured proxy or base URL can produce.
   */
  static MalformedResponseException notChat(JsonNode root, String provider, ErrorContext context) {
    if (root.has("response")) {
      return new MalformedResponseException(provider + " answered in the /api/generate format"
          + " (\"response\" instead of \"message\"); this adapter speaks /api/chat only", context, null);
    }
    return new MalformedResponseException(provider + " answered without a \"message\" object",
        context, null);
  }

  static @Nullable String text(@Nullable JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private static long count(@Nullable JsonNode node) {
    return node != null && node.canConvertToLong() && node.asLong() > 0 ? node.asLong() : 0;
  }
}

package dev.llmgateway.provider.ollama.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.UnsupportedFeatureException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link ChatRequest} as an Ollama {@code /api/chat} request body.
 *
 * <p>Messages keep their order and role ({@code system}, {@code user}, {@code assistant}, {@code tool}):
 * <ul>
 *   <li>{@link ContentPart.Text} parts are joined into {@code content} (always sent, empty when there is
 *       no text);
 *   <li>{@link ContentPart.Image} parts go into {@code images} as plain base64, which is all Ollama
 *       accepts: base64 data as given, a {@code data:...;base64,} URL reduced to its data. An http(s)
 *       image URL fails with {@link UnsupportedFeatureException} before anything is sent: the adapter
 *       does not download images on the caller's behalf (that would fetch arbitrary URLs from the
 *       gateway's network); download it and pass {@link ContentPart.Image#ofBase64}. The media type and
 *       {@code detail} have no Ollama field;
 *   <li>{@link ContentPart.ToolCall} parts become {@code tool_calls: [{function: {name, arguments}}]} with
 *       the arguments parsed into a JSON object ({@code {}} when blank; arguments that are not a JSON
 *       object fail). Call ids have no Ollama field and are not sent;
 *   <li>{@link ContentPart.ToolResult} parts each become a message {@code {role: "tool", content,
 *       tool_name}}, placed before the rest of the message they came in. Ollama matches results to calls
 *       by {@code tool_name}: the part's tool name, else the name of the earlier tool call with the same
 *       id, else none. {@code isError} has no Ollama field;
 *   <li>{@link ContentPart.Thinking} parts of an assistant message are joined into {@code thinking}, which
 *       Ollama accepts back in the history; elsewhere they are dropped. A message's {@code name} has no
 *       Ollama field.
 * </ul>
 *
 * <p>Tools are sent in OpenAI's shape, {@code {type: "function", function: {name, description,
 * parameters}}}. Ollama has no {@code tool_choice}: {@link ToolChoice.Mode#AUTO} (or none) sends the tools,
 * {@link ToolChoice.Mode#NONE} leaves them out so that the model cannot call them, and
 * {@link ToolChoice.Mode#REQUIRED} / {@link ToolChoice.Mode#TOOL} fail with
 * {@link UnsupportedFeatureException} because Ollama cannot be made to call a tool. {@code
 * parallelToolCalls} has no Ollama field and is not sent.
 *
 * <p>A JSON-object response format is {@code format: "json"}; a JSON-schema one is {@code format:
 * <schema object>} (Ollama's structured outputs; the schema name and {@code strict} have no field).
 * Sampling goes into {@code options}: {@code temperature}, {@code top_p}, {@code num_predict} (from
 * maxTokens), {@code stop}, {@code seed}, {@code presence_penalty}, {@code frequency_penalty}, each only
 * when set. {@code keep_alive} is sent when configured, as a Go duration such as {@code "300s"} (negative:
 * keep the model loaded forever; zero: unload it at once).
 *
 * <p>Provider options are written last at the top level, replacing fields of the same name ({@code
 * think}, {@code keep_alive}, {@code truncate}, {@code format}...), except {@code options}: a map there is
 * merged key by key into the options built from the request (provider options win), so that e.g. {@code
 * num_ctx} can be set without losing the temperature; a non-map {@code options} fails. {@code stream} is
 * always written by the adapter, explicitly {@code true} or {@code false} (Ollama streams when it is
 * absent), and a provider option cannot change it.
 */
public final class OllamaRequestEncoder {
  private final ObjectMapper mapper;
  private final @Nullable Duration keepAlive;

  /**
   * @param mapper builds the JSON tree
   * @param keepAlive the {@code keep_alive} to send; null to leave it to the server
   */
  public OllamaRequestEncoder(ObjectMapper mapper, @Nullable Duration keepAlive) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.keepAlive = keepAlive;
  }

  /** The request body as bytes. */
  public byte[] encodeBytes(ChatRequest request, boolean stream, ErrorContext context) {
    ObjectNode body = encode(request, stream, context);
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("could not write the request as JSON: "
          + e.getOriginalMessage(), context, e);
    }
  }

  /** The request body as a JSON tree. */
  public ObjectNode encode(ChatRequest request, boolean stream, ErrorContext context) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    Map<String, String> toolNamesById = new HashMap<>();
    for (Message message : request.messages()) {
      writeMessage(message, messages, toolNamesById, context);
    }
    if (!request.tools().isEmpty() && sendTools(request.toolChoice(), context)) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", tool.name());
        if (tool.description() != null) {
          function.put("description", tool.description());
        }
        function.set("parameters", parseObject(tool.parametersSchema(),
            "the parametersSchema of tool '" + tool.name() + "'", context));
      }
    }
    ResponseFormat format = request.responseFormat();
    if (format != null) {
      switch (format.type()) {
        case TEXT -> {
          // free text is the default
        }
        case JSON_OBJECT -> body.put("format", "json");
        case JSON_SCHEMA -> body.set("format", parseObject(Objects.requireNonNull(format.schema()),
            "responseFormat.schema", context));
      }
    }
    ObjectNode options = mapper.createObjectNode();
    if (request.temperature() != null) {
      options.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      options.put("top_p", request.topP());
    }
    if (request.maxTokens() != null) {
      options.put("num_predict", request.maxTokens());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = options.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (request.seed() != null) {
      options.put("seed", request.seed());
    }
    if (request.presencePenalty() != null) {
      options.put("presence_penalty", request.presencePenalty());
    }
    if (request.frequencyPenalty() != null) {
      options.put("frequency_penalty", request.frequencyPenalty());
    }
    if (keepAlive != null) {
      body.put("keep_alive", goDuration(keepAlive));
    }
    for (Map.Entry<String, Object> option : request.providerOptions().entrySet()) {
      String name = option.getKey();
      JsonNode value = mapper.valueToTree(option.getValue());
      if (name.equals("options")) {
        if (!value.isObject()) {
          throw new InvalidRequestException("providerOption 'options' must be a map of Ollama options"
              + " (e.g. num_ctx), was " + value.getNodeType().toString().toLowerCase(Locale.ROOT),
              context, null);
        }
        options.setAll((ObjectNode) value);
      } else if (!name.equals("stream")) {
        body.set(name, value);
      }
    }
    if (!options.isEmpty()) {
      body.set("options", options);
    }
    body.put("stream", stream);
    return body;
  }

  /**
   * {@code duration} as a Go duration string, which Ollama's {@code keep_alive} parses: whole seconds as
   * {@code "300s"}, else milliseconds as {@code "1500ms"}; negative values keep their sign.
   */
  public static String goDuration(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }

  private static boolean sendTools(@Nullable ToolChoice choice, ErrorContext context) {
    if (choice == null) {
      return true;
    }
    return switch (choice.mode()) {
      case AUTO -> true;
      case NONE -> false;
      case REQUIRED, TOOL -> throw new UnsupportedFeatureException("Ollama has no tool_choice, so it"
          + " cannot be made to call a tool (" + choice.mode() + "); use ToolChoice.auto()", context,
          null);
    };
  }

  private void writeMessage(Message message, ArrayNode out, Map<String, String> toolNamesById,
      ErrorContext context) {
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    List<String> images = new ArrayList<>();
    List<ContentPart.ToolCall> calls = new ArrayList<>();
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
      } else if (part instanceof ContentPart.Image image) {
        images.add(base64(image, context));
      } else if (part instanceof ContentPart.ToolCall call) {
        calls.add(call);
        toolNamesById.putIfAbsent(call.id(), call.name());
      } else if (part instanceof ContentPart.ToolResult result) {
        ObjectNode tool = out.addObject().put("role", "tool").put("content", result.content());
        String name = result.toolName() != null ? result.toolName()
            : toolNamesById.get(result.toolCallId());
        if (name != null) {
          tool.put("tool_name", name);
        }
      } else if (part instanceof ContentPart.Thinking t) {
        thinking.append(t.text());
      }
    }
    boolean onlyToolResults = message.content().stream()
        .allMatch(p -> p instanceof ContentPart.ToolResult || p instanceof ContentPart.Thinking);
    if (onlyToolResults && message.content().stream()
        .anyMatch(p -> p instanceof ContentPart.ToolResult)) {
      return;
    }
    ObjectNode node = out.addObject()
        .put("role", message.role().name().toLowerCase(Locale.ROOT))
        .put("content", text.toString());
    if (!images.isEmpty()) {
      ArrayNode array = node.putArray("images");
      images.forEach(array::add);
    }
    if (message.role() == Role.ASSISTANT) {
      if (thinking.length() > 0) {
        node.put("thinking", thinking.toString());
      }
      if (!calls.isEmpty()) {
        ArrayNode toolCalls = node.putArray("tool_calls");
        for (ContentPart.ToolCall call : calls) {
          ObjectNode function = toolCalls.addObject().putObject("function");
          function.put("name", call.name());
          function.set("arguments", call.arguments().isBlank()
              ? mapper.createObjectNode()
              : parseObject(call.arguments(), "the arguments of tool call '" + call.name() + "'",
                  context));
        }
      }
    } else if (!calls.isEmpty()) {
      throw new InvalidRequestException("tool calls are only allowed in assistant messages, found one in"
          + " a " + message.role().name().toLowerCase(Locale.ROOT) + " message", context, null);
    }
  }

  private static String base64(ContentPart.Image image, ErrorContext context) {
    if (image.base64Data() != null) {
      return image.base64Data();
    }
    String url = Objects.requireNonNull(image.url());
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
      if (comma > 0 && meta.endsWith(";base64")) {
        return url.substring(comma + 1);
      }
      throw new UnsupportedFeatureException("Ollama accepts only base64 images; a data: URL must be"
          + " base64-encoded", context, null);
    }
    throw new UnsupportedFeatureException("Ollama accepts only base64 images, not image URLs; download"
        + " the image and pass it with ContentPart.Image.ofBase64(mediaType, data)", context, null);
  }

  private JsonNode parseObject(String json, String what, ErrorContext context) {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      // the parser's message may quote the text, which can hold user data: name the field only
      throw new InvalidRequestException(what + " is not valid JSON", context, e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(what + " must be a JSON object", context, null);
    }
    return node;
  }
}

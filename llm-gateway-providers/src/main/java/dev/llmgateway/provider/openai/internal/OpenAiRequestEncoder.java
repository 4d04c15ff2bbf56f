package dev.llmgateway.provider.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link ChatRequest} as an OpenAI Chat Completions request body.
 *
 * <p>Messages: system, user, assistant and tool roles. A user message whose only part is text is sent as a
 * plain string, otherwise as an array of {@code text} and {@code image_url} parts (URL or data URL, with
 * {@code detail}). An assistant's tool calls become {@code tool_calls} with the arguments as a JSON
 * string. Every {@link ContentPart.ToolResult} becomes its own {@code role: "tool"} message with
 * {@code tool_call_id}, placed before the rest of the message it came in ({@code isError} has no wire
 * field and is not sent). {@link ContentPart.Thinking} parts are dropped: this API takes no reasoning back.
 *
 * <p>Parameters: tools (with the parameter schema parsed into JSON), {@code tool_choice},
 * {@code parallel_tool_calls} (only with tools, which OpenAI requires), temperature, {@code top_p}, the
 * max-tokens field chosen at construction, stop, seed, penalties, {@code response_format}, {@code user}
 * from the metadata, {@code stream} with {@code stream_options.include_usage}. Provider options are
 * written last, at the top level, so they can override anything.
 *
 * <p>Where a compatible API spells things its own way (the max-tokens and seed fields, the "call some
 * tool" choice, whether {@code stream_options}, {@code user} and names are sent), the
 * {@link ChatCompletionsDialect} given at construction decides.
 */
public final class OpenAiRequestEncoder {
  private final ObjectMapper mapper;
  private final ChatCompletionsDialect dialect;

  /**
   * @param mapper builds the JSON tree
   * @param dialect how the API spells the fields that differ
   */
  public OpenAiRequestEncoder(ObjectMapper mapper, ChatCompletionsDialect dialect) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /** The request body as bytes. */
  public byte[] encodeBytes(ChatRequest request, boolean stream) {
    try {
      return mapper.writeValueAsBytes(encode(request, stream));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("could not write the request as JSON: "
          + e.getOriginalMessage());
    }
  }

  /** The request body as a JSON tree. */
  public ObjectNode encode(ChatRequest request, boolean stream) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    for (Message message : request.messages()) {
      writeMessage(message, messages);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", tool.name());
        if (tool.description() != null) {
          function.put("description", tool.description());
        }
        function.set("parameters", parseJson(tool.parametersSchema(),
            "tool '" + tool.name() + "' parametersSchema"));
        if (tool.strict() != null) {
          function.put("strict", tool.strict());
        }
      }
      if (request.parallelToolCalls() != null) {
        body.put("parallel_tool_calls", request.parallelToolCalls());
      }
    }
    ToolChoice choice = request.toolChoice();
    if (choice != null) {
      switch (choice.mode()) {
        case AUTO -> body.put("tool_choice", "auto");
        case NONE -> body.put("tool_choice", "none");
        case REQUIRED -> body.put("tool_choice", dialect.requiredToolChoice());
        case TOOL -> body.putObject("tool_choice").put("type", "function")
            .putObject("function").put("name", choice.toolName());
      }
    }
    putIfSet(body, "temperature", request.temperature());
    putIfSet(body, "top_p", request.topP());
    if (request.maxTokens() != null) {
      body.put(dialect.maxTokensField(), request.maxTokens());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (request.seed() != null) {
      body.put(dialect.seedField(), request.seed());
    }
    putIfSet(body, "frequency_penalty", request.frequencyPenalty());
    putIfSet(body, "presence_penalty", request.presencePenalty());
    ResponseFormat format = request.responseFormat();
    if (format != null) {
      ObjectNode rf = body.putObject("response_format");
      switch (format.type()) {
        case TEXT -> rf.put("type", "text");
        case JSON_OBJECT -> rf.put("type", "json_object");
        case JSON_SCHEMA -> {
          rf.put("type", "json_schema");
          ObjectNode schema = rf.putObject("json_schema");
          schema.put("name", format.schemaName());
          schema.set("schema", parseJson(Objects.requireNonNull(format.schema()),
              "responseFormat.schema"));
          if (format.strict() != null) {
            schema.put("strict", format.strict());
          }
        }
      }
    }
    String user = request.metadata().user();
    if (user != null && dialect.sendsUser()) {
      body.put("user", user);
    }
    if (stream) {
      body.put("stream", true);
      if (dialect.includeStreamUsage()) {
        body.putObject("stream_options").put("include_usage", true);
      }
    }
    for (Map.Entry<String, Object> option : request.providerOptions().entrySet()) {
      body.set(option.getKey(), mapper.valueToTree(option.getValue()));
    }
    return body;
  }

  private void writeMessage(Message message, ArrayNode out) {
    List<ContentPart> rest = new ArrayList<>();
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.ToolResult result) {
        ObjectNode tool = out.addObject()
            .put("role", "tool")
            .put("tool_call_id", result.toolCallId())
            .put("content", result.content());
        if (dialect.sendsToolResultNames() && result.toolName() != null) {
          tool.put("name", result.toolName());
        }
      } else if (!(part instanceof ContentPart.Thinking)) {
        rest.add(part);
      }
    }
    switch (message.role()) {
      case SYSTEM -> {
        if (!rest.isEmpty()) {
          ObjectNode node = out.addObject().put("role", "system");
          node.put("content", textOnly(rest, "a system message"));
          putName(node, message);
        }
      }
      case USER -> {
        if (!rest.isEmpty()) {
          ObjectNode node = out.addObject().put("role", "user");
          writeUserContent(node, rest);
          putName(node, message);
        }
      }
      case ASSISTANT -> writeAssistant(message, rest, out);
      case TOOL -> {
        if (!rest.isEmpty()) {
          throw new InvalidRequestException("a tool message may only hold tool results; found "
              + kind(rest.get(0)));
        }
      }
    }
  }

  private void writeUserContent(ObjectNode node, List<ContentPart> parts) {
    if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text text) {
      node.put("content", text.text());
      return;
    }
    ArrayNode content = node.putArray("content");
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text text) {
        content.addObject().put("type", "text").put("text", text.text());
      } else if (part instanceof ContentPart.Image image) {
        ObjectNode url = content.addObject().put("type", "image_url").putObject("image_url");
        url.put("url", image.asUrl());
        if (image.detail() != null) {
          url.put("detail", image.detail());
        }
      } else {
        throw new InvalidRequestException("a user message cannot hold " + kind(part));
      }
    }
  }

  private void writeAssistant(Message message, List<ContentPart> parts, ArrayNode out) {
    StringBuilder text = new StringBuilder();
    boolean hasText = false;
    List<ContentPart.ToolCall> calls = new ArrayList<>();
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
        hasText = true;
      } else if (part instanceof ContentPart.ToolCall call) {
        calls.add(call);
      } else {
        throw new InvalidRequestException("an assistant message cannot hold " + kind(part));
      }
    }
    if (!hasText && calls.isEmpty()) {
      return; // e.g. only thinking parts, which this API does not take back
    }
    ObjectNode node = out.addObject().put("role", "assistant");
    if (hasText) {
      node.put("content", text.toString());
    } else {
      node.putNull("content");
    }
    putName(node, message);
    if (!calls.isEmpty()) {
      ArrayNode toolCalls = node.putArray("tool_calls");
      for (ContentPart.ToolCall call : calls) {
        ObjectNode c = toolCalls.addObject().put("id", call.id()).put("type", "function");
        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    }
  }

  private static String textOnly(List<ContentPart> parts, String where) {
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : parts) {
      if (!(part instanceof ContentPart.Text text)) {
        throw new InvalidRequestException(where + " may only hold text; found " + kind(part));
      }
      sb.append(text.text());
    }
    return sb.toString();
  }

  private void putName(ObjectNode node, Message message) {
    if (message.name() != null && dialect.sendsMessageNames()) {
      node.put("name", message.name());
    }
  }

  private static void putIfSet(ObjectNode body, String field, @Nullable Double value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private JsonNode parseJson(String json, String field) {
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || !node.isObject()) {
        throw new InvalidRequestException(field + " must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(field + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String kind(ContentPart part) {
    return "a " + part.getClass().getSimpleName() + " part";
  }
}

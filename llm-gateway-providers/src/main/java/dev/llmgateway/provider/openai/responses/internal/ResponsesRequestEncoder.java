package dev.llmgateway.provider.openai.responses.internal;

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
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.UnsupportedFeatureException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link ChatRequest} as an OpenAI Responses API request body ({@code POST /responses}).
 *
 * <p>Conversation: every system message's text goes into {@code instructions}, joined with a blank line.
 * The other messages become {@code input} items, in order: user and assistant turns become
 * {@code {type: message, role, content}} with {@code input_text} / {@code input_image} parts (user) or
 * {@code output_text} parts (assistant; empty text is skipped); a {@link ContentPart.ToolCall} becomes
 * {@code {type: function_call, call_id, name, arguments}}; a {@link ContentPart.ToolResult}, wherever it
 * sits, becomes {@code {type: function_call_output, call_id, output}} ({@code isError} has no wire field);
 * a {@link ContentPart.Thinking} that is {@code redacted} and has a signature (what this adapter decodes
 * from a reasoning item) goes back as {@code {type: reasoning, summary, encrypted_content}} without an
 * item id, because with {@code store: false} an id makes the API look the item up and fail. Other thinking
 * parts (no signature, or from another provider) are dropped. Parts of an assistant turn keep their order,
 * so reasoning precedes the call it led to. {@code Message.name} has no wire field and is not sent.
 *
 * <p>Parameters: flat function tools {@code {type: function, name, description, parameters, strict}},
 * where an unset {@code strict} is sent as {@code false} (the Responses API would otherwise switch
 * strict-compatible schemas to strict mode, unlike Chat Completions); {@code tool_choice};
 * {@code parallel_tool_calls} (with tools only); {@code temperature}; {@code top_p};
 * {@code max_output_tokens}; {@code text.format} ({@code text}, {@code json_object}, or
 * {@code {type: json_schema, name, schema, strict}}); {@code user} from the metadata; {@code store};
 * {@code include: ["reasoning.encrypted_content"]} when encrypted reasoning is on; {@code stream}. Stop
 * sequences do not exist on this API and fail with {@link UnsupportedFeatureException}; {@code seed} and
 * the penalties do not exist either and are not sent.
 *
 * <p>Provider options are merged in last: a JSON object merges into an object already in the body, field
 * by field and recursively (so {@code text: {verbosity: low}} keeps {@code text.format}); anything else
 * replaces the field. The option {@value #REASONING_EFFORT_OPTION} (Chat Completions' spelling) becomes
 * {@code reasoning.effort}, so one request works on both OpenAI wires; a {@code reasoning} option object
 * ({@code {effort, summary}}) is sent as given and wins over it.
 */
public final class ResponsesRequestEncoder {
  /** The {@code include} value that makes reasoning items carry their encrypted content. */
  public static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";
  /** The provider option read as {@code reasoning.effort}. */
  public static final String REASONING_EFFORT_OPTION = "reasoning_effort";

  private final ObjectMapper mapper;
  private final boolean store;
  private final boolean includeEncryptedReasoning;

  /**
   * @param mapper builds the JSON tree
   * @param store the {@code store} field sent on every request
   * @param includeEncryptedReasoning whether to ask for {@value #ENCRYPTED_REASONING}
   */
  public ResponsesRequestEncoder(ObjectMapper mapper, boolean store, boolean includeEncryptedReasoning) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.store = store;
    this.includeEncryptedReasoning = includeEncryptedReasoning;
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
    if (!request.stop().isEmpty()) {
      throw new UnsupportedFeatureException("the OpenAI Responses API has no stop sequences; remove "
          + "ChatRequest.stop or use the Chat Completions provider (openai)");
    }
    ObjectNode body = mapper.createObjectNode();
    body.put("model", request.model());
    String instructions = instructions(request);
    if (instructions != null) {
      body.put("instructions", instructions);
    }
    ArrayNode input = body.putArray("input");
    for (Message message : request.messages()) {
      if (message.role() != Role.SYSTEM) {
        writeMessage(message, input);
      }
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode t = tools.addObject().put("type", "function").put("name", tool.name());
        if (tool.description() != null) {
          t.put("description", tool.description());
        }
        t.set("parameters", parseJson(tool.parametersSchema(),
            "tool '" + tool.name() + "' parametersSchema"));
        t.put("strict", tool.strict() != null && tool.strict());
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
        case REQUIRED -> body.put("tool_choice", "required");
        case TOOL -> body.putObject("tool_choice").put("type", "function")
            .put("name", choice.toolName());
      }
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      body.put("top_p", request.topP());
    }
    if (request.maxTokens() != null) {
      body.put("max_output_tokens", request.maxTokens());
    }
    ResponseFormat format = request.responseFormat();
    if (format != null) {
      ObjectNode f = body.putObject("text").putObject("format");
      switch (format.type()) {
        case TEXT -> f.put("type", "text");
        case JSON_OBJECT -> f.put("type", "json_object");
        case JSON_SCHEMA -> {
          f.put("type", "json_schema");
          f.put("name", format.schemaName());
          f.set("schema", parseJson(Objects.requireNonNull(format.schema()), "responseFormat.schema"));
          if (format.strict() != null) {
            f.put("strict", format.strict());
          }
        }
      }
    }
    String user = request.metadata().user();
    if (user != null) {
      body.put("user", user);
    }
    body.put("store", store);
    if (includeEncryptedReasoning) {
      body.putArray("include").add(ENCRYPTED_REASONING);
    }
    if (stream) {
      body.put("stream", true);
    }
    Map<String, Object> options = new LinkedHashMap<>(request.providerOptions());
    Object effort = options.remove(REASONING_EFFORT_OPTION);
    if (effort != null) {
      merge(body, "reasoning", mapper.createObjectNode().set("effort", mapper.valueToTree(effort)));
    }
    for (Map.Entry<String, Object> option : options.entrySet()) {
      merge(body, option.getKey(), mapper.valueToTree(option.getValue()));
    }
    return body;
  }

  private static @Nullable String instructions(ChatRequest request) {
    StringBuilder sb = new StringBuilder();
    boolean any = false;
    for (Message message : request.messages()) {
      if (message.role() != Role.SYSTEM) {
        continue;
      }
      for (ContentPart part : message.content()) {
        if (!(part instanceof ContentPart.Text text)) {
          throw new InvalidRequestException("a system message may only hold text; found " + kind(part));
        }
      }
      if (any) {
        sb.append("\n\n");
      }
      sb.append(message.text());
      any = true;
    }
    return any ? sb.toString() : null;
  }

  private void writeMessage(Message message, ArrayNode input) {
    Role role = message.role();
    ArrayNode pending = null; // content of the message item being built
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.ToolResult result) {
        pending = flush(pending, role, input);
        input.addObject()
            .put("type", "function_call_output")
            .put("call_id", result.toolCallId())
            .put("output", result.content());
      } else if (role == Role.TOOL) {
        throw new InvalidRequestException("a tool message may only hold tool results; found "
            + kind(part));
      } else if (part instanceof ContentPart.Text text) {
        if (role == Role.ASSISTANT && text.text().isEmpty()) {
          continue;
        }
        pending = pending != null ? pending : mapper.createArrayNode();
        pending.addObject().put("type", role == Role.USER ? "input_text" : "output_text")
            .put("text", text.text());
      } else if (part instanceof ContentPart.Image image) {
        if (role != Role.USER) {
          throw new InvalidRequestException("an assistant message cannot hold " + kind(part));
        }
        pending = pending != null ? pending : mapper.createArrayNode();
        pending.addObject().put("type", "input_image").put("image_url", image.asUrl())
            .put("detail", image.detail() != null ? image.detail() : "auto");
      } else if (part instanceof ContentPart.ToolCall call) {
        if (role != Role.ASSISTANT) {
          throw new InvalidRequestException("a user message cannot hold " + kind(part));
        }
        pending = flush(pending, role, input);
        input.addObject()
            .put("type", "function_call")
            .put("call_id", call.id())
            .put("name", call.name())
            .put("arguments", call.arguments());
      } else if (part instanceof ContentPart.Thinking thinking) {
        if (role == Role.ASSISTANT && thinking.redacted() && thinking.signature() != null) {
          pending = flush(pending, role, input);
          ObjectNode reasoning = input.addObject().put("type", "reasoning");
          ArrayNode summary = reasoning.putArray("summary");
          if (!thinking.text().isEmpty()) {
            summary.addObject().put("type", "summary_text").put("text", thinking.text());
          }
          reasoning.put("encrypted_content", thinking.signature());
        }
      }
    }
    flush(pending, role, input);
  }

  private static @Nullable ArrayNode flush(@Nullable ArrayNode pending, Role role, ArrayNode input) {
    if (pending != null && !pending.isEmpty()) {
      ObjectNode item = input.addObject().put("type", "message")
          .put("role", role == Role.USER ? "user" : "assistant");
      item.set("content", pending);
    }
    return null;
  }

  /** Sets {@code value} at {@code key}, merging objects into objects recursively. */
  private static void merge(ObjectNode target, String key, JsonNode value) {
    JsonNode existing = target.get(key);
    if (existing instanceof ObjectNode existingObject && value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        merge(existingObject, field.getKey(), field.getValue());
      }
    } else {
      target.set(key, value);
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

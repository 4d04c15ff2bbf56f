package dev.llmgateway.provider.anthropic.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link ChatRequest} as an Anthropic Messages request body.
 *
 * <p>Messages. System messages, wherever they are, become the top-level {@code system} string, joined
 * with a blank line. User, assistant and tool messages become {@code user} / {@code assistant} turns; tool
 * messages are user turns holding {@code tool_result} blocks. Consecutive turns of the same wire role
 * (typically several tool results, or tool results followed by a user's text) are merged into one turn,
 * as the API itself does. A turn that is a single text block is sent as a plain string. Blocks:
 * <ul>
 *   <li>{@link ContentPart.Text}: {@code text} (empty text in an assistant turn is dropped, since the
 *       API rejects empty text blocks and an assembled stream without text holds one);
 *   <li>{@link ContentPart.Image}: {@code image} with a {@code base64} source (also for a
 *       {@code data:} URL) or a {@code url} source; {@code detail} has no Anthropic equivalent;
 *   <li>{@link ContentPart.ToolCall}: {@code tool_use} with {@code input} parsed from the arguments
 *       text ({@code {}} when blank); arguments that are not a JSON object fail;
 *   <li>{@link ContentPart.ToolResult}: {@code tool_result} with {@code tool_use_id}, the content as a
 *       string and {@code is_error: true} when set;
 *   <li>{@link ContentPart.Thinking}: sent back unchanged, as {@code thinking} with its signature or, when
 *       redacted, as {@code redacted_thinking} with the data; a thinking part without a signature (from
 *       another provider) cannot be verified by Anthropic and is dropped.
 * </ul>
 *
 * <p>Parameters: {@code max_tokens} (the request's, else the configured default, since Anthropic
 * requires one); tools as {@code {name, description, input_schema, strict}}; {@code tool_choice}
 * {@code auto}/{@code any} (for REQUIRED)/{@code tool}/{@code none}, with
 * {@code disable_parallel_tool_use: true} when {@code parallelToolCalls} is false (tool choice is only
 * sent with tools); temperature, {@code top_p}, {@code stop_sequences}; {@code metadata.user_id} from
 * the metadata's user; a JSON-schema response format as {@code output_config.format}
 * ({@code {type: json_schema, schema}}, Anthropic's structured outputs). A JSON-object response format
 * has no Anthropic equivalent and fails with {@link UnsupportedFeatureException}. Seed and the
 * OpenAI-style penalties have no Anthropic equivalent and are not sent; a message's {@code name} neither.
 * Provider options are written last, at the top level, replacing any field of the same name (e.g.
 * {@code thinking}, {@code top_k}, {@code output_config}).
 */
public final class AnthropicRequestEncoder {
  private final ObjectMapper mapper;
  private final int defaultMaxTokens;

  /**
   * @param mapper builds the JSON tree
   * @param defaultMaxTokens the {@code max_tokens} sent when the request sets none
   */
  public AnthropicRequestEncoder(ObjectMapper mapper, int defaultMaxTokens) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("defaultMaxTokens must be at least 1, was " + defaultMaxTokens);
    }
    this.defaultMaxTokens = defaultMaxTokens;
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
    body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens);
    writeMessages(request.messages(), body, context);
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode t = tools.addObject().put("name", tool.name());
        if (tool.description() != null) {
          t.put("description", tool.description());
        }
        t.set("input_schema", parseObject(tool.parametersSchema(),
            "the parametersSchema of tool '" + tool.name() + "'", context));
        if (tool.strict() != null) {
          t.put("strict", tool.strict());
        }
      }
      writeToolChoice(request, body);
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      body.put("top_p", request.topP());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    String user = request.metadata().user();
    if (user != null) {
      body.putObject("metadata").put("user_id", user);
    }
    ResponseFormat format = request.responseFormat();
    if (format != null) {
      switch (format.type()) {
        case TEXT -> {
          // free text is the default
        }
        case JSON_OBJECT -> throw new UnsupportedFeatureException("Anthropic has no JSON-object mode;"
            + " use ResponseFormat.jsonSchema(...) (sent as output_config.format)", context, null);
        case JSON_SCHEMA -> body.putObject("output_config").putObject("format")
            .put("type", "json_schema")
            .set("schema", parseObject(Objects.requireNonNull(format.schema()),
                "responseFormat.schema", context));
      }
    }
    if (stream) {
      body.put("stream", true);
    }
    for (Map.Entry<String, Object> option : request.providerOptions().entrySet()) {
      body.set(option.getKey(), mapper.valueToTree(option.getValue()));
    }
    return body;
  }

  private void writeToolChoice(ChatRequest request, ObjectNode body) {
    ToolChoice choice = request.toolChoice();
    boolean noParallel = Boolean.FALSE.equals(request.parallelToolCalls());
    if (choice == null && !noParallel) {
      return;
    }
    ToolChoice.Mode mode = choice != null ? choice.mode() : ToolChoice.Mode.AUTO;
    ObjectNode node = body.putObject("tool_choice");
    switch (mode) {
      case AUTO -> node.put("type", "auto");
      case REQUIRED -> node.put("type", "any");
      case TOOL -> node.put("type", "tool").put("name", Objects.requireNonNull(choice).toolName());
      case NONE -> node.put("type", "none");
    }
    if (noParallel && mode != ToolChoice.Mode.NONE) {
      node.put("disable_parallel_tool_use", true);
    }
  }

  private void writeMessages(List<Message> messages, ObjectNode body, ErrorContext context) {
    List<String> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    for (Message message : messages) {
      if (message.role() == Role.SYSTEM) {
        system.add(systemText(message, context));
        continue;
      }
      String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
      List<ObjectNode> blocks = blocks(message, context);
      if (blocks.isEmpty()) {
        continue; // e.g. an assistant turn of foreign thinking only
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(role)) {
        last.blocks.addAll(blocks);
      } else {
        turns.add(new Turn(role, new ArrayList<>(blocks)));
      }
    }
    if (!system.isEmpty()) {
      body.put("system", String.join("\n\n", system));
    }
    ArrayNode out = body.putArray("messages");
    for (Turn turn : turns) {
      ObjectNode node = out.addObject().put("role", turn.role);
      if (turn.blocks.size() == 1 && "text".equals(turn.blocks.get(0).path("type").asText())) {
        node.put("content", turn.blocks.get(0).path("text").asText());
      } else {
        node.putArray("content").addAll(turn.blocks);
      }
    }
  }

  private List<ObjectNode> blocks(Message message, ErrorContext context) {
    List<ObjectNode> blocks = new ArrayList<>();
    Role role = message.role();
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text text) {
        if (role == Role.TOOL) {
          throw notAllowed(part, role, context);
        }
        if (role == Role.ASSISTANT && text.text().isEmpty()) {
          continue;
        }
        blocks.add(mapper.createObjectNode().put("type", "text").put("text", text.text()));
      } else if (part instanceof ContentPart.Image image) {
        if (role != Role.USER) {
          throw notAllowed(part, role, context);
        }
        blocks.add(image(image));
      } else if (part instanceof ContentPart.ToolCall call) {
        if (role != Role.ASSISTANT) {
          throw notAllowed(part, role, context);
        }
        ObjectNode block = mapper.createObjectNode()
            .put("type", "tool_use")
            .put("id", call.id())
            .put("name", call.name());
        block.set("input", toolInput(call, context));
        blocks.add(block);
      } else if (part instanceof ContentPart.ToolResult result) {
        if (role == Role.ASSISTANT) {
          throw notAllowed(part, role, context);
        }
        ObjectNode block = mapper.createObjectNode()
            .put("type", "tool_result")
            .put("tool_use_id", result.toolCallId())
            .put("content", result.content());
        if (result.isError()) {
          block.put("is_error", true);
        }
        blocks.add(block);
      } else if (part instanceof ContentPart.Thinking thinking) {
        if (role != Role.ASSISTANT) {
          throw notAllowed(part, role, context);
        }
        if (thinking.signature() == null) {
          continue; // reasoning from another provider: Anthropic would reject it unsigned
        }
        blocks.add(thinking.redacted()
            ? mapper.createObjectNode().put("type", "redacted_thinking")
                .put("data", thinking.signature())
            : mapper.createObjectNode().put("type", "thinking").put("thinking", thinking.text())
                .put("signature", thinking.signature()));
      }
    }
    return blocks;
  }

  private ObjectNode image(ContentPart.Image image) {
    ObjectNode block = mapper.createObjectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    String url = image.url();
    if (url == null) {
      source.put("type", "base64").put("media_type", image.mediaType())
          .put("data", image.base64Data());
      return block;
    }
    int comma = url.indexOf(',');
    if (url.regionMatches(true, 0, "data:", 0, 5) && comma > 0
        && url.substring(0, comma).endsWith(";base64")) {
      String mediaType = url.substring(5, comma - ";base64".length());
      source.put("type", "base64").put("media_type", mediaType).put("data", url.substring(comma + 1));
    } else {
      source.put("type", "url").put("url", url);
    }
    return block;
  }

  private JsonNode toolInput(ContentPart.ToolCall call, ErrorContext context) {
    if (call.arguments().isBlank()) {
      return mapper.createObjectNode();
    }
    try {
      JsonNode node = mapper.readTree(call.arguments());
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // reported below, without echoing the arguments
    }
    throw new InvalidRequestException("the arguments of tool call " + call.id() + " ('" + call.name()
        + "') are not a JSON object, which Anthropic requires as tool_use input", context, null);
  }

  private static String systemText(Message message, ErrorContext context) {
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : message.content()) {
      if (!(part instanceof ContentPart.Text text)) {
        throw notAllowed(part, Role.SYSTEM, context);
      }
      sb.append(text.text());
    }
    return sb.toString();
  }

  private JsonNode parseObject(String json, String field, ErrorContext context) {
    try {
      JsonNode node = mapper.readTree(json);
      if (node != null && node.isObject()) {
        return node;
      }
      throw new InvalidRequestException(field + " must be a JSON object", context, null);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(field + " is not valid JSON: " + e.getOriginalMessage(),
          context, e);
    }
  }

  private static InvalidRequestException notAllowed(ContentPart part, Role role,
      ErrorContext context) {
    return new InvalidRequestException("a " + role.name().toLowerCase(java.util.Locale.ROOT)
        + " message cannot hold a " + part.getClass().getSimpleName() + " part for Anthropic",
        context, null);
  }

  /** One wire turn being built. */
  private record Turn(String role, List<ObjectNode> blocks) {}
}

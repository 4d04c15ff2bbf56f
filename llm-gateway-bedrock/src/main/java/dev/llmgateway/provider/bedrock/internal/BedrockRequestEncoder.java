package dev.llmgateway.provider.bedrock.internal;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link ChatRequest} as a Converse request body (the same for {@code converse} and
 * {@code converse-stream}; the model goes in the URL).
 *
 * <p>Messages. System messages, wherever they are, become {@code system: [{text}]} blocks, in order.
 * User, assistant and tool messages become {@code user} / {@code assistant} turns; tool messages are user
 * turns holding {@code toolResult} blocks. Consecutive turns of the same wire role (several tool results,
 * or tool results followed by a user's text) are merged into one turn, because Converse wants roles to
 * alternate. Blocks:
 * <ul>
 *   <li>{@link ContentPart.Text}: {@code {text}}; empty text in an assistant turn is dropped (Converse
 *       rejects blank text blocks, and an assembled stream without text holds one);
 *   <li>{@link ContentPart.Image}: {@code {image:{format, source:{bytes}}}} with the base64 data (also for
 *       a {@code data:} URL), the format taken from the media type ({@code png}, {@code jpeg},
 *       {@code gif}, {@code webp}); an {@code s3://} URL becomes {@code source.s3Location.uri}; an
 *       http(s) URL fails with {@link UnsupportedFeatureException}, since Bedrock does not fetch URLs;
 *       {@code detail} has no Bedrock equivalent;
 *   <li>{@link ContentPart.ToolCall}: {@code {toolUse:{toolUseId, name, input}}} with {@code input} parsed
 *       from the arguments ({@code {}} when blank); arguments that are not a JSON object fail;
 *   <li>{@link ContentPart.ToolResult}: {@code {toolResult:{toolUseId, content, status}}}, the content
 *       as {@code [{json: ...}]} when it is a JSON object, else as {@code [{text: ...}]}; {@code status} is
 *       {@code error} for a failed tool and left out otherwise (some models reject the field, and success
 *       is the default);
 *   <li>{@link ContentPart.Thinking}: sent back unchanged, as
 *       {@code {reasoningContent:{reasoningText:{text, signature}}}}, or {@code {reasoningContent:
 *       {redactedContent}}} when redacted; a thinking part without a signature (from another provider)
 *       cannot be verified and is dropped.
 * </ul>
 *
 * <p>Parameters: {@code inferenceConfig{maxTokens, temperature, topP, stopSequences}} with the fields
 * the request sets (left out when it sets none). Tools: {@code toolConfig{tools:[{toolSpec{name,
 * description, inputSchema{json}}}], toolChoice}} with {@code toolChoice} {@code {auto:{}}},
 * {@code {any:{}}} (for REQUIRED) or {@code {tool:{name}}}, left out when the request sets none.
 * Converse has no "none" choice: {@link ToolChoice.Mode#NONE} leaves {@code toolConfig} out, so the
 * model sees no tools. But Converse rejects a request whose messages hold {@code toolUse} or
 * {@code toolResult} blocks without a {@code toolConfig}, so when the conversation holds tool calls or
 * results and no tools would be sent (NONE, or a request without tools), {@code toolConfig} lists the
 * tools the conversation names, with the request's definitions where it has them and an empty object
 * schema otherwise, and no {@code toolChoice}. With NONE the model could then still call one of those:
 * on Bedrock, NONE is best effort in a conversation that already used tools.
 *
 * <p>Not sent, because Converse has no equivalent: {@code parallelToolCalls}, seed, the OpenAI-style
 * penalties, a tool's {@code strict}, a message's {@code name}, the metadata. A JSON-object or
 * JSON-schema response format fails with {@link UnsupportedFeatureException}.
 *
 * <p>Provider options. A key that is a top-level Converse field ({@link #TOP_LEVEL_FIELDS}:
 * {@code additionalModelRequestFields}, {@code additionalModelResponseFieldPaths},
 * {@code guardrailConfig}, {@code inferenceConfig}, {@code messages}, {@code outputConfig},
 * {@code performanceConfig}, {@code promptVariables}, {@code requestMetadata}, {@code serviceTier},
 * {@code system}, {@code toolConfig}) is written at the top level: when both it and the field already
 * there are JSON objects, the option's members are merged in (replacing members of the same name),
 * otherwise the option replaces the field. Every other key is a model-specific parameter and goes into
 * {@code additionalModelRequestFields} (e.g. {@code top_k}, or Claude's {@code thinking}), replacing a
 * member of the same name.
 */
public final class BedrockRequestEncoder {

  /** The top-level fields of a Converse request, which provider options may set directly. */
  public static final Set<String> TOP_LEVEL_FIELDS = Set.of("additionalModelRequestFields",
      "additionalModelResponseFieldPaths", "guardrailConfig", "inferenceConfig", "messages",
      "outputConfig", "performanceConfig", "promptVariables", "requestMetadata", "serviceTier",
      "system", "toolConfig");

  private static final String ADDITIONAL_FIELDS = "additionalModelRequestFields";

  private final ObjectMapper mapper;

  public BedrockRequestEncoder(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** The request body as bytes. */
  public byte[] encodeBytes(ChatRequest request, ErrorContext context) {
    ObjectNode body = encode(request, context);
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("could not write the request as JSON: "
          + e.getOriginalMessage(), context, e);
    }
  }

  /** The request body as a JSON tree. */
  public ObjectNode encode(ChatRequest request, ErrorContext context) {
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() != ResponseFormat.Type.TEXT) {
      throw new UnsupportedFeatureException("the Bedrock Converse adapter does not support the "
          + format.type() + " response format; ask for JSON in the prompt or use a tool",
          context, null);
    }
    ObjectNode body = mapper.createObjectNode();
    Set<String> toolsInHistory = new LinkedHashSet<>();
    writeMessages(request.messages(), body, toolsInHistory, context);
    writeInferenceConfig(request, body);
    writeToolConfig(request, toolsInHistory, body, context);
    writeProviderOptions(request.providerOptions(), body);
    return body;
  }

  private void writeInferenceConfig(ChatRequest request, ObjectNode body) {
    ObjectNode config = mapper.createObjectNode();
    if (request.maxTokens() != null) {
      config.put("maxTokens", request.maxTokens());
    }
    if (request.temperature() != null) {
      config.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      config.put("topP", request.topP());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    if (!config.isEmpty()) {
      body.set("inferenceConfig", config);
    }
  }

  private void writeToolConfig(ChatRequest request, Set<String> toolsInHistory,
      ObjectNode body, ErrorContext context) {
    ToolChoice choice = request.toolChoice();
    boolean none = choice != null && choice.mode() == ToolChoice.Mode.NONE;
    if (!request.tools().isEmpty() && !none) {
      ObjectNode config = body.putObject("toolConfig");
      ArrayNode tools = config.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        tools.add(toolSpec(tool.name(), tool.description(), parseObject(tool.parametersSchema(),
            "the parametersSchema of tool '" + tool.name() + "'", context)));
      }
      if (choice != null) {
        ObjectNode c = config.putObject("toolChoice");
        switch (choice.mode()) {
          case AUTO -> c.putObject("auto");
          case REQUIRED -> c.putObject("any");
          case TOOL -> c.putObject("tool").put("name", choice.toolName());
          case NONE -> throw new IllegalStateException("unreachable");
        }
      }
      return;
    }
    if (toolsInHistory.isEmpty()) {
      return;
    }
    // Converse requires toolConfig whenever the messages hold toolUse/toolResult blocks.
    Map<String, ToolDefinition> defined = new LinkedHashMap<>();
    request.tools().forEach(t -> defined.put(t.name(), t));
    ArrayNode tools = body.putObject("toolConfig").putArray("tools");
    for (String name : toolsInHistory) {
      ToolDefinition tool = defined.get(name);
      tools.add(tool != null
          ? toolSpec(name, tool.description(), parseObject(tool.parametersSchema(),
              "the parametersSchema of tool '" + name + "'", context))
          : toolSpec(name, null, parseObject(ToolDefinition.EMPTY_PARAMETERS, "schema", context)));
    }
  }

  private ObjectNode toolSpec(String name, @Nullable String description,
      JsonNode schema) {
    ObjectNode spec = mapper.createObjectNode();
    ObjectNode toolSpec = spec.putObject("toolSpec").put("name", name);
    if (description != null && !description.isBlank()) {
      toolSpec.put("description", description);
    }
    toolSpec.putObject("inputSchema").set("json", schema);
    return spec;
  }

  private void writeProviderOptions(Map<String, Object> options, ObjectNode body) {
    List<Map.Entry<String, Object>> modelFields = new ArrayList<>();
    for (Map.Entry<String, Object> option : options.entrySet()) {
      if (!TOP_LEVEL_FIELDS.contains(option.getKey())) {
        modelFields.add(option);
        continue;
      }
      JsonNode value = mapper.valueToTree(option.getValue());
      JsonNode existing = body.get(option.getKey());
      if (existing instanceof ObjectNode target && value instanceof ObjectNode source) {
        target.setAll(source);
      } else {
        body.set(option.getKey(), value);
      }
    }
    if (modelFields.isEmpty()) {
      return;
    }
    JsonNode existing = body.get(ADDITIONAL_FIELDS);
    ObjectNode additional = existing instanceof ObjectNode o ? o : body.putObject(ADDITIONAL_FIELDS);
    for (Map.Entry<String, Object> field : modelFields) {
      additional.set(field.getKey(), mapper.valueToTree(field.getValue()));
    }
  }

  private void writeMessages(List<Message> messages, ObjectNode body,
      Set<String> toolsInHistory, ErrorContext context) {
    ArrayNode system = mapper.createArrayNode();
    List<Turn> turns = new ArrayList<>();
    Map<String, String> namesById = new LinkedHashMap<>();
    for (Message message : messages) {
      if (message.role() == Role.SYSTEM) {
        for (ContentPart part : message.content()) {
          if (!(part instanceof ContentPart.Text text)) {
            throw notAllowed(part, Role.SYSTEM, context);
          }
          system.addObject().put("text", text.text());
        }
        continue;
      }
      String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
      List<ObjectNode> blocks = blocks(message, toolsInHistory, namesById, context);
      if (blocks.isEmpty()) {
        continue; // e.g. an assistant turn of unsigned thinking only
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(role)) {
        last.blocks.addAll(blocks);
      } else {
        turns.add(new Turn(role, new ArrayList<>(blocks)));
      }
    }
    ArrayNode out = body.putArray("messages");
    for (Turn turn : turns) {
      out.addObject().put("role", turn.role).putArray("content").addAll(turn.blocks);
    }
    if (!system.isEmpty()) {
      body.set("system", system);
    }
  }

  private List<ObjectNode> blocks(Message message, Set<String> toolsInHistory,
      Map<String, String> namesById, ErrorContext context) {
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
        blocks.add(mapper.createObjectNode().put("text", text.text()));
      } else if (part instanceof ContentPart.Image image) {
        if (role != Role.USER) {
          throw notAllowed(part, role, context);
        }
        blocks.add(image(image, context));
      } else if (part instanceof ContentPart.ToolCall call) {
        if (role != Role.ASSISTANT) {
          throw notAllowed(part, role, context);
        }
        ObjectNode block = mapper.createObjectNode();
        ObjectNode toolUse = block.putObject("toolUse")
            .put("toolUseId", call.id())
            .put("name", call.name());
        toolUse.set("input", toolInput(call, context));
        blocks.add(block);
        toolsInHistory.add(call.name());
        namesById.put(call.id(), call.name());
      } else if (part instanceof ContentPart.ToolResult result) {
        if (role == Role.ASSISTANT) {
          throw notAllowed(part, role, context);
        }
        ObjectNode block = mapper.createObjectNode();
        ObjectNode toolResult = block.putObject("toolResult")
            .put("toolUseId", result.toolCallId());
        ArrayNode content = toolResult.putArray("content");
        JsonNode json = jsonObjectOrNull(result.content());
        if (json != null) {
          content.addObject().set("json", json);
        } else {
          content.addObject().put("text", result.content());
        }
        if (result.isError()) {
          toolResult.put("status", "error");
        }
        blocks.add(block);
        String name = result.toolName() != null ? result.toolName()
            : namesById.get(result.toolCallId());
        if (name != null && !name.isBlank()) {
          toolsInHistory.add(name);
        }
      } else if (part instanceof ContentPart.Thinking thinking) {
        if (role != Role.ASSISTANT) {
          throw notAllowed(part, role, context);
        }
        if (thinking.signature() == null) {
          continue; // reasoning from another provider: it cannot be verified
        }
        ObjectNode block = mapper.createObjectNode();
        ObjectNode reasoning = block.putObject("reasoningContent");
        if (thinking.redacted()) {
          reasoning.put("redactedContent", thinking.signature());
        } else {
          reasoning.putObject("reasoningText").put("text", thinking.text())
              .put("signature", thinking.signature());
        }
        blocks.add(block);
      }
    }
    return blocks;
  }

  private ObjectNode image(ContentPart.Image image, ErrorContext context) {
    String mediaType = image.mediaType();
    String data = image.base64Data();
    String url = image.url();
    ObjectNode block = mapper.createObjectNode();
    ObjectNode img = block.putObject("image");
    if (url != null) {
      int comma = url.indexOf(',');
      if (url.regionMatches(true, 0, "data:", 0, 5) && comma > 0
          && url.substring(0, comma).endsWith(";base64")) {
        mediaType = url.substring(5, comma - ";base64".length());
        data = url.substring(comma + 1);
      } else if (url.regionMatches(true, 0, "s3://", 0, 5)) {
        img.put("format", format(mediaType != null ? mediaType : extensionType(url), context));
        img.putObject("source").putObject("s3Location").put("uri", url);
        return block;
      } else {
        throw new UnsupportedFeatureException("Bedrock takes images as bytes or s3:// locations, not"
            + " as http(s) URLs; download the image and send it as base64", context, null);
      }
    }
    img.put("format", format(mediaType, context));
    img.putObject("source").put("bytes", data);
    return block;
  }

  private static String format(@Nullable String mediaType,
      ErrorContext context) {
    String type = mediaType == null ? "" : mediaType.strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "image/png", "png" -> "png";
      case "image/jpeg", "image/jpg", "jpeg", "jpg" -> "jpeg";
      case "image/gif", "gif" -> "gif";
      case "image/webp", "webp" -> "webp";
      default -> throw new UnsupportedFeatureException("Bedrock accepts png, jpeg, gif and webp"
          + " images, not '" + (mediaType == null ? "unknown" : mediaType) + "'", context, null);
    };
  }

  private static @Nullable String extensionType(String url) {
    int dot = url.lastIndexOf('.');
    return dot < 0 ? null : url.substring(dot + 1);
  }

  private JsonNode toolInput(ContentPart.ToolCall call, ErrorContext context) {
    if (call.arguments().isBlank()) {
      return mapper.createObjectNode();
    }
    JsonNode node = jsonObjectOrNull(call.arguments());
    if (node != null) {
      return node;
    }
    throw new InvalidRequestException("the arguments of tool call " + call.id() + " ('" + call.name()
        + "') are not a JSON object, which Bedrock requires as toolUse input", context, null);
  }

  private @Nullable JsonNode jsonObjectOrNull(String text) {
    String t = text.strip();
    if (!t.startsWith("{")) {
      return null;
    }
    try {
      JsonNode node = mapper.readTree(t);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
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
    return new InvalidRequestException("a " + role.name().toLowerCase(Locale.ROOT)
        + " message cannot hold a " + part.getClass().getSimpleName() + " part for Bedrock",
        context, null);
  }

  /** One wire turn being built. */
  private record Turn(String role, List<ObjectNode> blocks) {}
}

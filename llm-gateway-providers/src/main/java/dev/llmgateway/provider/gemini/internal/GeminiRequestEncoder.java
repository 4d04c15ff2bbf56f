package dev.llmgateway.provider.gemini.internal;

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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link ChatRequest} as a Gemini {@code GenerateContentRequest} body.
 *
 * <p>Messages: every system message becomes a text part of {@code systemInstruction} (Gemini has one
 * system instruction; system messages anywhere in the conversation are gathered there, in order). User
 * messages become {@code role: "user"} contents, assistant messages {@code role: "model"} contents, and
 * tool messages {@code role: "user"} contents of {@code functionResponse} parts; consecutive tool
 * messages are merged into one content, because Gemini wants the answers to parallel calls in one turn.
 * Empty text parts are left out (Gemini rejects them); an assistant message left with no parts is
 * skipped.
 *
 * <p>Parts: text; an image given as base64 becomes {@code inlineData}, an image given as a {@code data:}
 * URL is decoded into {@code inlineData}, any other URL becomes {@code fileData{fileUri, mimeType}} (the
 * Developer API reads Files-API URIs, and some models public URLs; the MIME type comes from the image's
 * media type or else the URL's file extension, and an image URL with neither is rejected). An
 * assistant's tool call becomes {@code functionCall{name, args}} with the arguments parsed into a JSON
 * object. A tool result becomes {@code functionResponse{name, response}}: the name is the result's
 * {@code toolName} or else the name of the earlier tool call with the same id; a content that is a JSON
 * object is sent as the response, anything else as {@code {"result": text}}, and an error result as
 * {@code {"error": ...}} (the key Google documents for failures). Call ids are not sent: Gemini matches
 * answers by function name and order.
 *
 * <p>Thought signatures: the response decoders carry a part's {@code thoughtSignature} as a
 * {@link ContentPart.Thinking} with empty text placed right after the part it belongs to. Here such a
 * signature-only thinking part is put back on the wire part just before it (a function call, a text or
 * a thought), or sent as an empty text part carrying the signature when there is no unsigned part
 * before it. A thinking part with text becomes a thought part ({@code thought: true}) with its
 * signature, if any; redacted thinking (another provider's) is dropped.
 *
 * <p>Parameters: tools become one {@code tools} entry of {@code functionDeclarations} with the schema in
 * {@code parametersJsonSchema} (which takes JSON Schema; {@code parameters} takes an OpenAPI subset that
 * rejects common JSON Schema keywords). Tool choice becomes {@code toolConfig.functionCallingConfig}:
 * {@code AUTO}, {@code NONE}, {@code ANY} for required, {@code ANY} with {@code allowedFunctionNames} for
 * one tool. {@code generationConfig} takes temperature, {@code topP}, {@code maxOutputTokens},
 * {@code stopSequences}, {@code seed} (32 bits), the penalties, and for JSON output
 * {@code responseMimeType: "application/json"} plus {@code responseJsonSchema} for a schema.
 * {@code parallelToolCalls} and the metadata are not sent (Gemini has no such fields).
 *
 * <p>Provider options are written last, at the top level ({@code safetySettings},
 * {@code cachedContent}...). An option whose value is an object and whose name is a field this encoder
 * already wrote as an object ({@code generationConfig}, {@code toolConfig}) is merged into it, its
 * fields winning, so that {@code generationConfig.thinkingConfig} can be set without losing the
 * sampling parameters; any other option replaces the field.
 */
public final class GeminiRequestEncoder {
  private static final Pattern DATA_URL =
      Pattern.compile("data:([^;,]+)(?:;[^,]*)?;base64,(.*)", Pattern.DOTALL);
  private static final Map<String, String> IMAGE_TYPES = Map.of(
      "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "webp", "image/webp",
      "gif", "image/gif", "heic", "image/heic", "heif", "image/heif");

  private final ObjectMapper mapper;

  /** @param mapper builds the JSON tree */
  public GeminiRequestEncoder(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** The request body as bytes. */
  public byte[] encodeBytes(ChatRequest request) {
    try {
      return mapper.writeValueAsBytes(encode(request));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("could not write the request as JSON: "
          + e.getOriginalMessage());
    }
  }

  /** The request body as a JSON tree. */
  public ObjectNode encode(ChatRequest request) {
    ObjectNode body = mapper.createObjectNode();
    ArrayNode system = mapper.createArrayNode();
    ArrayNode contents = body.putArray("contents");
    Map<String, String> toolNamesById = new HashMap<>();
    ObjectNode toolTurn = null;
    int position = 0;
    for (Message message : request.messages()) {
      switch (message.role()) {
        case SYSTEM -> {
          for (ContentPart part : message.content()) {
            if (!(part instanceof ContentPart.Text t)) {
              throw new InvalidRequestException("system message " + position
                  + " holds a " + kind(part) + "; gemini takes only text as system instruction");
            }
            if (!t.text().isEmpty()) {
              system.addObject().put("text", t.text());
            }
          }
          toolTurn = null;
        }
        case USER -> {
          ArrayNode parts = mapper.createArrayNode();
          for (ContentPart part : message.content()) {
            writeUserPart(part, parts, toolNamesById, position);
          }
          if (parts.isEmpty()) {
            throw new InvalidRequestException("user message " + position
                + " has no content gemini accepts (empty text is not sent)");
          }
          ObjectNode content = contents.addObject().put("role", "user");
          content.set("parts", parts);
          toolTurn = null;
        }
        case ASSISTANT -> {
          ArrayNode parts = modelParts(message, toolNamesById, position);
          if (!parts.isEmpty()) {
            ObjectNode content = contents.addObject().put("role", "model");
            content.set("parts", parts);
          }
          toolTurn = null;
        }
        case TOOL -> {
          if (toolTurn == null) {
            toolTurn = contents.addObject().put("role", "user");
            toolTurn.putArray("parts");
          }
          ArrayNode parts = (ArrayNode) toolTurn.get("parts");
          for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.ToolResult r) {
              parts.add(functionResponse(r, toolNamesById));
            } else if (part instanceof ContentPart.Text t) {
              if (!t.text().isEmpty()) {
                parts.addObject().put("text", t.text());
              }
            } else {
              throw new InvalidRequestException("tool message " + position + " holds a "
                  + kind(part) + "; it may hold tool results and text only");
            }
          }
        }
      }
      position++;
    }
    if (!system.isEmpty()) {
      body.putObject("systemInstruction").set("parts", system);
    }
    writeTools(request, body);
    ObjectNode generationConfig = generationConfig(request);
    if (!generationConfig.isEmpty()) {
      body.set("generationConfig", generationConfig);
    }
    for (Map.Entry<String, Object> option : request.providerOptions().entrySet()) {
      JsonNode value = mapper.valueToTree(option.getValue());
      JsonNode existing = body.get(option.getKey());
      if (existing instanceof ObjectNode target && value instanceof ObjectNode extra) {
        for (Map.Entry<String, JsonNode> field : extra.properties()) {
          target.set(field.getKey(), field.getValue());
        }
      } else {
        body.set(option.getKey(), value);
      }
    }
    return body;
  }

  private void writeUserPart(ContentPart part, ArrayNode parts, Map<String, String> toolNamesById,
      int position) {
    if (part instanceof ContentPart.Text t) {
      if (!t.text().isEmpty()) {
        parts.addObject().put("text", t.text());
      }
    } else if (part instanceof ContentPart.Image image) {
      parts.add(image(image, position));
    } else if (part instanceof ContentPart.ToolResult r) {
      parts.add(functionResponse(r, toolNamesById));
    } else {
      throw new InvalidRequestException("user message " + position + " holds a " + kind(part)
          + ", which only assistant messages may hold");
    }
  }

  private ArrayNode modelParts(Message message, Map<String, String> toolNamesById, int position) {
    ArrayNode parts = mapper.createArrayNode();
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) {
          parts.addObject().put("text", t.text());
        }
      } else if (part instanceof ContentPart.Image image) {
        parts.add(image(image, position));
      } else if (part instanceof ContentPart.ToolCall call) {
        toolNamesById.put(call.id(), call.name());
        ObjectNode functionCall = parts.addObject().putObject("functionCall");
        functionCall.put("name", call.name());
        functionCall.set("args", arguments(call));
      } else if (part instanceof ContentPart.Thinking thinking) {
        writeThinking(thinking, parts);
      } else {
        throw new InvalidRequestException("assistant message " + position + " holds a "
            + kind(part) + "; send tool results in a TOOL message");
      }
    }
    return parts;
  }

  private static void writeThinking(ContentPart.Thinking thinking, ArrayNode parts) {
    if (thinking.redacted()) {
      return; // Gemini has no redacted thoughts; this one came from another provider
    }
    String signature = thinking.signature();
    if (thinking.text().isEmpty()) {
      if (signature == null) {
        return;
      }
      JsonNode last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
      if (last instanceof ObjectNode owner && !owner.has("thoughtSignature")) {
        owner.put("thoughtSignature", signature);
      } else {
        parts.addObject().put("text", "").put("thoughtSignature", signature);
      }
      return;
    }
    ObjectNode thought = parts.addObject().put("text", thinking.text()).put("thought", true);
    if (signature != null) {
      thought.put("thoughtSignature", signature);
    }
  }

  private ObjectNode functionResponse(ContentPart.ToolResult result,
      Map<String, String> toolNamesById) {
    String name = result.toolName() != null && !result.toolName().isBlank()
        ? result.toolName()
        : toolNamesById.get(result.toolCallId());
    if (name == null) {
      throw new InvalidRequestException("the tool result for call '" + result.toolCallId()
          + "' names no tool and no earlier tool call has that id; gemini matches results by"
          + " function name, so set ToolResult.toolName");
    }
    ObjectNode part = mapper.createObjectNode();
    ObjectNode functionResponse = part.putObject("functionResponse");
    functionResponse.put("name", name);
    JsonNode parsed = parseOrNull(result.content());
    ObjectNode response;
    if (parsed instanceof ObjectNode object) {
      response = result.isError() ? mapper.createObjectNode().set("error", object) : object;
    } else {
      response = mapper.createObjectNode().put(result.isError() ? "error" : "result",
          result.content());
    }
    functionResponse.set("response", response);
    return part;
  }

  private ObjectNode image(ContentPart.Image image, int position) {
    ObjectNode part = mapper.createObjectNode();
    if (image.base64Data() != null) {
      part.putObject("inlineData").put("mimeType", image.mediaType())
          .put("data", image.base64Data());
      return part;
    }
    String url = Objects.requireNonNull(image.url(), "image.url");
    Matcher data = DATA_URL.matcher(url);
    if (data.matches()) {
      part.putObject("inlineData").put("mimeType", data.group(1)).put("data", data.group(2));
      return part;
    }
    String mimeType = image.mediaType() != null && !image.mediaType().isBlank()
        ? image.mediaType()
        : mimeTypeOf(url);
    if (mimeType == null) {
      throw new InvalidRequestException("the image URL in message " + position + " has no media type"
          + " and no known image file extension; gemini needs a MIME type for fileData, so give"
          + " ContentPart.Image a mediaType, or send the image as base64");
    }
    part.putObject("fileData").put("mimeType", mimeType).put("fileUri", url);
    return part;
  }

  private static @Nullable String mimeTypeOf(String url) {
    String path = url;
    int cut = path.indexOf('?');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    cut = path.indexOf('#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) {
      return null;
    }
    return IMAGE_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private JsonNode arguments(ContentPart.ToolCall call) {
    String args = call.arguments().strip();
    if (args.isEmpty()) {
      return mapper.createObjectNode();
    }
    JsonNode parsed = parseOrNull(args);
    if (!(parsed instanceof ObjectNode)) {
      throw new InvalidRequestException("the arguments of tool call '" + call.id() + "' ("
          + call.name() + ") are not a JSON object; gemini needs functionCall.args as an object");
    }
    return parsed;
  }

  private void writeTools(ChatRequest request, ObjectNode body) {
    if (!request.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode declaration = declarations.addObject().put("name", tool.name());
        if (tool.description() != null) {
          declaration.put("description", tool.description());
        }
        JsonNode schema = parseOrNull(tool.parametersSchema());
        if (!(schema instanceof ObjectNode)) {
          throw new InvalidRequestException("the parameter schema of tool '" + tool.name()
              + "' is not a JSON object");
        }
        declaration.set("parametersJsonSchema", schema);
      }
    }
    ToolChoice choice = request.toolChoice();
    if (choice != null) {
      ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
      switch (choice.mode()) {
        case AUTO -> config.put("mode", "AUTO");
        case NONE -> config.put("mode", "NONE");
        case REQUIRED -> config.put("mode", "ANY");
        case TOOL -> {
          config.put("mode", "ANY");
          config.putArray("allowedFunctionNames").add(choice.toolName());
        }
      }
    }
  }

  private ObjectNode generationConfig(ChatRequest request) {
    ObjectNode config = mapper.createObjectNode();
    if (request.temperature() != null) {
      config.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      config.put("topP", request.topP());
    }
    if (request.maxTokens() != null) {
      config.put("maxOutputTokens", request.maxTokens());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    Long seed = request.seed();
    if (seed != null) {
      if (seed < Integer.MIN_VALUE || seed > Integer.MAX_VALUE) {
        throw new InvalidRequestException("seed " + seed + " does not fit in 32 bits, as gemini's"
            + " generationConfig.seed needs");
      }
      config.put("seed", seed.intValue());
    }
    if (request.presencePenalty() != null) {
      config.put("presencePenalty", request.presencePenalty());
    }
    if (request.frequencyPenalty() != null) {
      config.put("frequencyPenalty", request.frequencyPenalty());
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() != ResponseFormat.Type.TEXT) {
      config.put("responseMimeType", "application/json");
      if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
        JsonNode schema = parseOrNull(Objects.requireNonNull(format.schema(), "schema"));
        if (schema == null || !schema.isObject()) {
          throw new InvalidRequestException("the response schema '" + format.schemaName()
              + "' is not a JSON object");
        }
        config.set("responseJsonSchema", schema);
      }
    }
    return config;
  }

  private @Nullable JsonNode parseOrNull(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private static String kind(ContentPart part) {
    return part.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " part";
  }
}

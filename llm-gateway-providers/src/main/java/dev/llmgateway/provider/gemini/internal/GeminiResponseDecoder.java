package dev.llmgateway.provider.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Gemini {@code GenerateContentResponse} (the body of {@code generateContent}) into a
 * {@link ChatResponse}, and holds the mappings the stream decoder shares.
 *
 * <p>Only candidate 0 is read. Its parts map in order: text to {@link ContentPart.Text}, a part with
 * {@code thought: true} to {@link ContentPart.Thinking}, {@code functionCall} to
 * {@link ContentPart.ToolCall} with the arguments as JSON text and the call's {@code id} when Gemini sent
 * one, else {@code call_0}, {@code call_1}... in order. A {@code thoughtSignature} on a non-thought part
 * becomes a {@link ContentPart.Thinking} with empty text right after that part, so that
 * {@link GeminiRequestEncoder} can put it back where it came from; on a thought part it is that
 * thinking part's signature. Other part kinds (inline output data, code execution) are skipped.
 *
 * <p>A prompt Gemini blocked (no candidates, {@code promptFeedback.blockReason}) is a
 * {@link ContentFilteredException} naming the reason. The id is {@code responseId}, which is also what
 * Google support asks for; the request id stays null, because Gemini sends no request-id header and a
 * stream cannot report a body value as its request id (so both modes agree). The model is
 * {@code modelVersion} or else the model asked for.
 */
public final class GeminiResponseDecoder {
  private final ObjectMapper mapper;
  private final GeminiErrorDecoder errors;

  public GeminiResponseDecoder(ObjectMapper mapper, GeminiErrorDecoder errors) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /** Decodes a successful body. */
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
      throw new MalformedResponseException(provider + " answered with a body that is not a JSON"
          + " object", context, null);
    }
    if (GeminiErrorDecoder.isError(root)) {
      throw errors.fromStreamError(root, context);
    }
    JsonNode candidate = candidateZero(root);
    if (candidate == null) {
      throw blockedOrEmpty(root, provider, context);
    }
    List<ContentPart> content = new ArrayList<>();
    int calls = 0;
    for (JsonNode part : candidate.path("content").path("parts")) {
      String signature = text(part.get("thoughtSignature"));
      JsonNode functionCall = part.get("functionCall");
      if (functionCall != null && functionCall.isObject()) {
        String name = text(functionCall.get("name"));
        if (name == null || name.isBlank()) {
          continue;
        }
        String id = text(functionCall.get("id"));
        content.add(new ContentPart.ToolCall(id != null && !id.isEmpty() ? id : syntheticId(calls),
            name, argumentsJson(functionCall.get("args"))));
        calls++;
        addSignature(content, signature);
      } else if (part.path("thought").asBoolean(false)) {
        String text = part.path("text").asText("");
        if (!text.isEmpty() || signature != null) {
          content.add(new ContentPart.Thinking(text, signature, false));
        }
      } else if (part.has("text")) {
        String text = part.path("text").asText("");
        if (!text.isEmpty()) {
          content.add(new ContentPart.Text(text));
        }
        addSignature(content, signature);
      }
    }
    if (content.isEmpty()) {
      content.add(new ContentPart.Text(""));
    }
    String raw = text(candidate.get("finishReason"));
    String responseId = text(root.get("responseId"));
    String modelVersion = text(root.get("modelVersion"));
    Usage usage = usage(root.get("usageMetadata"));
    return ChatResponse.builder()
        .id(responseId)
        .model(modelVersion != null ? modelVersion : requestedModel)
        .provider(provider)
        .message(new Message(Role.ASSISTANT, content))
        .finishReason(raw != null ? finishReason(raw, calls > 0) : FinishReason.OTHER)
        .rawFinishReason(raw)
        .usage(usage != null ? usage : Usage.ZERO)
        .build();
  }

  private static void addSignature(List<ContentPart> content, @Nullable String signature) {
    if (signature != null && !signature.isEmpty()) {
      content.add(new ContentPart.Thinking("", signature, false));
    }
  }

  /** The id given to the {@code index}-th function call of an answer when Gemini sent none. */
  public static String syntheticId(int index) {
    return "call_" + index;
  }

  /** Candidate 0, or null when there is none. */
  static @Nullable JsonNode candidateZero(JsonNode root) {
    JsonNode candidates = root.get("candidates");
    if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
      return null;
    }
    JsonNode first = candidates.get(0);
    return first != null && first.isObject() ? first : null;
  }

  /**
   * The exception for an answer without candidates: {@link ContentFilteredException} when the prompt was
   * blocked, else {@link MalformedResponseException}.
   */
  static RuntimeException blockedOrEmpty(JsonNode root, String provider, ErrorContext context) {
    String blockReason = text(root.path("promptFeedback").get("blockReason"));
    if (blockReason != null) {
      String detail = text(root.path("promptFeedback").get("blockReasonMessage"));
      return new ContentFilteredException(provider + " blocked the prompt (blockReason "
          + blockReason + ")" + (detail != null && !detail.isBlank() ? ": " + detail : ""),
          context, null);
    }
    return new MalformedResponseException(provider + " answered without candidates", context, null);
  }

  /**
   * The unified finish reason of a Gemini {@code finishReason}: {@code STOP} is
   * {@link FinishReason#TOOL_CALLS} when the answer holds function calls, else
   * {@link FinishReason#STOP}; {@code MAX_TOKENS} is {@link FinishReason#LENGTH}; the safety, recitation,
   * blocklist, prohibited-content, SPII and image-safety values are {@link FinishReason#CONTENT_FILTER};
   * {@code MALFORMED_FUNCTION_CALL}, {@code UNEXPECTED_TOOL_CALL} and {@code TOO_MANY_TOOL_CALLS} are
   * {@link FinishReason#ERROR}; anything else is {@link FinishReason#OTHER}.
   */
  public static FinishReason finishReason(String raw, boolean hasToolCalls) {
    return switch (raw) {
      case "STOP" -> hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
      case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS" ->
          FinishReason.ERROR;
      default -> FinishReason.OTHER;
    };
  }

  /**
   * The usage in {@code usageMetadata}, or null when it holds no token count (Vertex streams send
   * {@code {"trafficType": ...}} alone). Input is {@code promptTokenCount} plus
   * {@code toolUsePromptTokenCount}; output is {@code candidatesTokenCount} plus
   * {@code thoughtsTokenCount}; cached input is {@code cachedContentTokenCount}; reasoning is
   * {@code thoughtsTokenCount}.
   */
  public static @Nullable Usage usage(@Nullable JsonNode metadata) {
    if (metadata == null || !metadata.isObject()) {
      return null;
    }
    JsonNode prompt = metadata.get("promptTokenCount");
    JsonNode candidates = metadata.get("candidatesTokenCount");
    JsonNode thoughts = metadata.get("thoughtsTokenCount");
    JsonNode cached = metadata.get("cachedContentTokenCount");
    JsonNode toolPrompt = metadata.get("toolUsePromptTokenCount");
    if (prompt == null && candidates == null && thoughts == null && cached == null
        && toolPrompt == null) {
      return null;
    }
    long reasoning = count(thoughts);
    return new Usage(count(prompt) + count(toolPrompt), count(candidates) + reasoning, count(cached),
        0, reasoning, false);
  }

  private static long count(@Nullable JsonNode node) {
    return node != null && node.canConvertToLong() ? Math.max(0, node.asLong()) : 0;
  }

  /** {@code args} as JSON object text; {@code "{}"} when absent. */
  String argumentsJson(@Nullable JsonNode args) {
    if (args == null || args.isNull() || args.isMissingNode()) {
      return "{}";
    }
    try {
      return mapper.writeValueAsString(args);
    } catch (IOException e) {
      return "{}";
    }
  }

  /** The text of a scalar node; null for a missing, null or container node. */
  static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() || node.isContainerNode() || node.isMissingNode()
        ? null
        : node.asText();
  }
}

package dev.llmgateway.provider.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds the arguments of a function call that Vertex AI streams piece by piece
 * ({@code streamFunctionCallArguments}): the call opens with {@code functionCall{name, willContinue:
 * true}}, then parts carry {@code functionCall.partialArgs[{jsonPath, stringValue | numberValue |
 * boolValue | nullValue, willContinue}]}, and an empty {@code functionCall} without {@code willContinue}
 * closes it.
 *
 * <p>Each value is set at its {@code jsonPath} ({@code $.a.b[0].c}, also {@code $['a']}), creating the
 * objects and arrays on the way; consecutive string fragments for the same path are concatenated. A path
 * this class cannot read is a {@link IllegalArgumentException}, which the stream reports as a malformed
 * response. Not thread-safe.
 */
final class StreamedArguments {
  private final ObjectMapper mapper;
  private final String name;
  private final @Nullable String id;
  private final @Nullable String signature;
  private final ObjectNode root;

  StreamedArguments(ObjectMapper mapper, String name, @Nullable String id,
      @Nullable String signature) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.name = Objects.requireNonNull(name, "name");
    this.id = id;
    this.signature = signature;
    this.root = mapper.createObjectNode();
  }

  String name() {
    return name;
  }

  @Nullable String id() {
    return id;
  }

  @Nullable String signature() {
    return signature;
  }

  /** Applies every entry of a {@code partialArgs} array. */
  void apply(JsonNode partialArgs) {
    for (JsonNode entry : partialArgs) {
      String path = GeminiResponseDecoder.text(entry.get("jsonPath"));
      if (path == null) {
        throw new IllegalArgumentException("a partialArgs entry has no jsonPath");
      }
      set(parse(path), value(entry));
    }
  }

  /** The arguments assembled so far, as JSON object text. */
  String json() {
    try {
      return mapper.writeValueAsString(root);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode value(JsonNode entry) {
    if (entry.has("stringValue")) {
      return TextNode.valueOf(entry.path("stringValue").asText(""));
    }
    if (entry.has("numberValue")) {
      return entry.get("numberValue");
    }
    if (entry.has("boolValue")) {
      return mapper.getNodeFactory().booleanNode(entry.path("boolValue").asBoolean());
    }
    return mapper.getNodeFactory().nullNode();
  }

  private void set(List<Object> segments, JsonNode value) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a partialArgs jsonPath names the root");
    }
    JsonNode node = root;
    for (int i = 0; i < segments.size(); i++) {
      Object segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      Object next = last ? null : segments.get(i + 1);
      if (segment instanceof String key) {
        if (!(node instanceof ObjectNode object)) {
          throw new IllegalArgumentException("a partialArgs jsonPath names a key of a non-object");
        }
        if (last) {
          object.set(key, merged(object.get(key), value));
        } else {
          JsonNode child = object.get(key);
          if (child == null || !matches(child, next)) {
            child = container(next);
            object.set(key, child);
          }
          node = child;
        }
      } else {
        int index = (Integer) segment;
        if (!(node instanceof ArrayNode array)) {
          throw new IllegalArgumentException("a partialArgs jsonPath indexes a non-array");
        }
        while (array.size() <= index) {
          array.addNull();
        }
        if (last) {
          array.set(index, merged(array.get(index), value));
        } else {
          JsonNode child = array.get(index);
          if (child == null || !matches(child, next)) {
            child = container(next);
            array.set(index, child);
          }
          node = child;
        }
      }
    }
  }

  private static JsonNode merged(@Nullable JsonNode existing, JsonNode value) {
    if (existing != null && existing.isTextual() && value.isTextual()) {
      return TextNode.valueOf(existing.asText() + value.asText());
    }
    return value;
  }

  private static boolean matches(JsonNode child, @Nullable Object next) {
    return next instanceof Integer ? child.isArray() : child.isObject();
  }

  private JsonNode container(@Nullable Object next) {
    return next instanceof Integer ? mapper.createArrayNode() : mapper.createObjectNode();
  }

  /** {@code $.a.b[0]['c d']} as {@code ["a", "b", 0, "c d"]}. */
  static List<Object> parse(String path) {
    if (!path.startsWith("$")) {
      throw new IllegalArgumentException("a partialArgs jsonPath does not start with $");
    }
    List<Object> segments = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          throw new IllegalArgumentException("a partialArgs jsonPath has an empty key");
        }
        segments.add(path.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("a partialArgs jsonPath has an unclosed [");
        }
        String inside = path.substring(i + 1, close).strip();
        if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
            && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
          // a quoted key; it may itself hold ']' only if escaped, which Vertex does not send
          segments.add(inside.substring(1, inside.length() - 1));
        } else {
          int index;
          try {
            index = Integer.parseInt(inside);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a partialArgs jsonPath has a bad index", e);
          }
          if (index < 0) {
            throw new IllegalArgumentException("a partialArgs jsonPath has a negative index");
          }
          segments.add(index);
        }
        i = close + 1;
      } else {
        throw new IllegalArgumentException("a partialArgs jsonPath has an unexpected character");
      }
    }
    return segments;
  }
}

package dev.llmgateway.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.testkit.CapturedRequest;
import dev.llmgateway.testkit.FakeToolCall;
import dev.llmgateway.testkit.FakeUsage;
import dev.llmgateway.testkit.TextSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI Chat Completions JSON that {@link dev.llmgateway.testkit.FakeLlmServer} writes, shaped after
 * recorded OpenAI payloads: {@code chat.completion}, {@code chat.completion.chunk}, error bodies and the model
 * list. Pure functions; {@link JsonNode#toString()} renders valid JSON without an {@code ObjectMapper}.
 */
public final class OpenAiJson {

  /** The {@code system_fingerprint} of every fake answer. */
  public static final String SYSTEM_FINGERPRINT = "fp_fake";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern WORD = Pattern.compile("\\S+");

  private OpenAiJson() {
  }

  /**
   * A resolved answer, ready to render.
   *
   * @param id the completion id
   * @param created the creation time, epoch seconds
   * @param model the model to report
   * @param text the content, or null for none
   * @param toolCalls the calls, ids filled in
   * @param finishReason the raw finish reason
   * @param usage the usage to report
   * @param splitter how to cut text and arguments into chunks
   */
  public record Answer(String id, long created, String model, @Nullable String text,
      List<FakeToolCall> toolCalls, String finishReason, FakeUsage usage, TextSplitter splitter) {

    public Answer {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(model, "model");
      toolCalls = List.copyOf(toolCalls);
      Objects.requireNonNull(finishReason, "finishReason");
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(splitter, "splitter");
    }
  }

  /** {@code {"error": {"message", "type", "param", "code"}}}. */
  public static String errorBody(String message, String type, @Nullable String param, @Nullable String code) {
    ObjectNode error = NODES.objectNode();
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    ObjectNode body = NODES.objectNode();
    body.set("error", error);
    return body.toString();
  }

  /** The body OpenAI's Cloudflare edge sends with a 502: note the numeric code. */
  public static String badGatewayBody() {
    ObjectNode error = NODES.objectNode();
    error.put("code", 502);
    error.put("message", "Bad gateway.");
    error.putNull("param");
    error.put("type", "cf_bad_gateway");
    ObjectNode body = NODES.objectNode();
    body.set("error", error);
    return body.toString();
  }

  /** The text of a message's {@code content}: the string itself, or its text parts concatenated. */
  public static String textOf(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  /**
   * A rough token count: the words of every message's text for the prompt, the words of the answer's text,
   * function names and arguments for the completion.
   */
  public static FakeUsage estimateUsage(CapturedRequest request, @Nullable String text,
      List<FakeToolCall> toolCalls) {
    int prompt = 0;
    for (JsonNode message : request.json().path("messages")) {
      prompt += words(textOf(message.path("content")));
    }
    int completion = text == null ? 0 : words(text);
    for (FakeToolCall call : toolCalls) {
      completion += words(call.name()) + words(call.arguments());
    }
    return FakeUsage.of(prompt, completion);
  }

  private static int words(String text) {
    Matcher matcher = WORD.matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  /** A blocking {@code chat.completion}. */
  public static String completion(Answer answer) {
    ObjectNode message = NODES.objectNode();
    message.put("role", "assistant");
    message.put("content", answer.text());
    message.putNull("refusal");
    message.putArray("annotations");
    if (!answer.toolCalls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (FakeToolCall call : answer.toolCalls()) {
        ObjectNode node = calls.addObject();
        node.put("id", call.id());
        node.put("type", "function");
        ObjectNode function = node.putObject("function");
        function.put("name", call.name());
        function.put("arguments", call.arguments());
      }
    }
    ObjectNode choice = NODES.objectNode();
    choice.put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", answer.finishReason());

    ObjectNode body = NODES.objectNode();
    body.put("id", answer.id());
    body.put("object", "chat.completion");
    body.put("created", answer.created());
    body.put("model", answer.model());
    body.putArray("choices").add(choice);
    body.set("usage", usage(answer.usage()));
    body.put("service_tier", "default");
    body.put("system_fingerprint", SYSTEM_FINGERPRINT);
    return body.toString();
  }

  /**
   * The {@code chat.completion.chunk} payloads of a stream, in order, without the final {@code [DONE]}: the
   * role, the text pieces, each tool call (a first fragment with id, type, name and empty arguments, then the
   * argument pieces), the finish reason on an empty delta, and with {@code includeUsage} a last chunk with
   * {@code "choices": []} and the usage.
   */
  public static List<String> chunks(Answer answer, boolean includeUsage) {
    List<String> chunks = new ArrayList<>();
    ObjectNode role = NODES.objectNode();
    role.put("role", "assistant");
    if (answer.text() != null) {
      role.put("content", "");
      role.putNull("refusal");
    } else {
      role.putNull("content");
    }
    chunks.add(chunk(answer, role, null));

    if (answer.text() != null) {
      for (String piece : answer.splitter().split(answer.text())) {
        ObjectNode delta = NODES.objectNode();
        delta.put("content", piece);
        chunks.add(chunk(answer, delta, null));
      }
    }

    for (int index = 0; index < answer.toolCalls().size(); index++) {
      FakeToolCall call = answer.toolCalls().get(index);
      ObjectNode first = NODES.objectNode();
      first.put("index", index);
      first.put("id", call.id());
      first.put("type", "function");
      ObjectNode function = first.putObject("function");
      function.put("name", call.name());
      function.put("arguments", "");
      chunks.add(chunk(answer, toolCallsDelta(first), null));
      for (String piece : answer.splitter().split(call.arguments())) {
        ObjectNode fragment = NODES.objectNode();
        fragment.put("index", index);
        fragment.putObject("function").put("arguments", piece);
        chunks.add(chunk(answer, toolCallsDelta(fragment), null));
      }
    }

    chunks.add(chunk(answer, NODES.objectNode(), answer.finishReason()));

    if (includeUsage) {
      ObjectNode last = header(answer);
      last.putArray("choices");
      last.set("usage", usage(answer.usage()));
      chunks.add(last.toString());
    }
    return List.copyOf(chunks);
  }

  /** The model list of {@code GET /v1/models}. */
  public static String modelList(String model, long created) {
    ObjectNode entry = NODES.objectNode();
    entry.put("id", model);
    entry.put("object", "model");
    entry.put("created", created);
    entry.put("owned_by", "fake-llm-server");
    ObjectNode body = NODES.objectNode();
    body.put("object", "list");
    body.putArray("data").add(entry);
    return body.toString();
  }

  private static ObjectNode toolCallsDelta(ObjectNode call) {
    ObjectNode delta = NODES.objectNode();
    delta.putArray("tool_calls").add(call);
    return delta;
  }

  private static String chunk(Answer answer, ObjectNode delta, @Nullable String finishReason) {
    ObjectNode choice = NODES.objectNode();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    ObjectNode chunk = header(answer);
    chunk.putArray("choices").add(choice);
    return chunk.toString();
  }

  private static ObjectNode header(Answer answer) {
    ObjectNode chunk = NODES.objectNode();
    chunk.put("id", answer.id());
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", answer.created());
    chunk.put("model", answer.model());
    chunk.put("system_fingerprint", SYSTEM_FINGERPRINT);
    return chunk;
  }

  private static ObjectNode usage(FakeUsage usage) {
    ObjectNode node = NODES.objectNode();
    node.put("prompt_tokens", usage.promptTokens());
    node.put("completion_tokens", usage.completionTokens());
    node.put("total_tokens", usage.totalTokens());
    ObjectNode prompt = node.putObject("prompt_tokens_details");
    prompt.put("cached_tokens", usage.cachedTokens());
    prompt.put("audio_tokens", 0);
    ObjectNode completion = node.putObject("completion_tokens_details");
    completion.put("reasoning_tokens", usage.reasoningTokens());
    completion.put("audio_tokens", 0);
    completion.put("accepted_prediction_tokens", 0);
    completion.put("rejected_prediction_tokens", 0);
    return node;
  }
}

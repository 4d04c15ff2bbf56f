package dev.llmgateway.provider;

import static dev.llmgateway.provider.CrossProviderContract.ANSWER_PIECES;
import static dev.llmgateway.provider.CrossProviderContract.MAX_TOKENS;
import static dev.llmgateway.provider.CrossProviderContract.MODEL;
import static dev.llmgateway.provider.CrossProviderContract.SCHEMA;
import static dev.llmgateway.provider.CrossProviderContract.SCHEMA_NAME;
import static dev.llmgateway.provider.CrossProviderContract.SYSTEM;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_ARGUMENTS;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_ARGUMENT_PIECES;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_DESCRIPTION;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_NAME;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_SCHEMA;
import static dev.llmgateway.provider.CrossProviderContract.answer;
import static dev.llmgateway.provider.CrossProviderContract.expected;
import static dev.llmgateway.provider.CrossProviderContract.json;
import static dev.llmgateway.provider.CrossProviderContract.object;
import static dev.llmgateway.provider.CrossProviderContract.recordedEvents;
import static dev.llmgateway.provider.CrossProviderContract.recordedObject;
import static dev.llmgateway.provider.CrossProviderContract.usage;
import static dev.llmgateway.provider.CrossProviderContract.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.llmgateway.Usage;
import dev.llmgateway.provider.CrossProviderContract.Adapter;
import dev.llmgateway.provider.CrossProviderContract.Case;
import dev.llmgateway.provider.anthropic.AnthropicChatProvider;
import dev.llmgateway.provider.azure.AzureOpenAiChatProvider;
import dev.llmgateway.provider.gemini.GeminiChatProvider;
import dev.llmgateway.provider.mistral.MistralChatProvider;
import dev.llmgateway.provider.ollama.OllamaChatProvider;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.provider.openai.OpenAiCompatiblePreset;
import dev.llmgateway.provider.openai.responses.OpenAiResponsesChatProvider;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.Secret;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise of issue 4, checked: the same {@link dev.llmgateway.ChatRequest} sent to every adapter of
 * this module comes back as the same normalized {@link dev.llmgateway.ChatResponse} (text, tool calls by
 * name and parsed arguments, finish reason, input/output usage), blocking or streamed, while each adapter
 * puts it on the wire in its own provider's terms. The request, the expected answers and the runner are
 * {@link CrossProviderContract}; Bedrock, in a module of its own, runs the same contract in its
 * {@code dev.llmgateway.provider.bedrock.CrossProviderContractTest}.
 *
 * <p>Every reply is built from a recorded payload of {@code conformance.dir}/{@code <provider>}: the
 * recording is parsed and only the answer's content, finish value and token counts are replaced, so the
 * envelope around them (ids, extra fields, framing, event order) stays as the provider sent it. Where no
 * recording of a shape exists, the comment at the reply says which recording was adapted and how.
 *
 * <p>Refused by design, before any HTTP call, and asserted as such: Anthropic's JSON-object mode (the
 * Messages API has only JSON-schema output). Nothing else: every other adapter here supports all cases.
 */
class CrossProviderContractTest {
  private static final String KEY = "contract-key-0123456789";

  @RegisterExtension
  final MockServer mock = new MockServer();

  static List<Adapter> adapters() {
    return List.of(new OpenAi(), new OpenAiResponses(), new Azure(), new Mistral(), new Groq(),
        new Anthropic(), new Gemini(), new Ollama());
  }

  static Stream<Arguments> adaptersAndCases() {
    return adapters().stream()
        .flatMap(a -> Stream.of(Case.values()).map(c -> Arguments.of(a, c)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("adaptersAndCases")
  void everyAdapterReturnsTheSameNormalizedResponse(Adapter adapter, Case c) throws Exception {
    CrossProviderContract.check(adapter, c, mock.server());
  }

  /** The refusals by design, listed: a new one must be a decision, not an accident. */
  @Test
  void refusalsByDesignAreExactlyTheseOnes() {
    Map<String, Set<Case>> refusals = new TreeMap<>();
    for (Adapter adapter : adapters()) {
      if (!adapter.refusedByDesign().isEmpty()) {
        refusals.put(adapter.name(), adapter.refusedByDesign());
      }
    }
    assertThat(refusals).isEqualTo(Map.of("anthropic", Set.of(Case.JSON_OBJECT)));
  }

  // --- wire helpers

  /** An SSE body of {@code data:} events, ending with OpenAI's {@code [DONE]} when {@code done}. */
  static String dataEvents(List<ObjectNode> events, boolean done) {
    StringBuilder sb = new StringBuilder();
    for (ObjectNode e : events) {
      sb.append("data: ").append(write(e)).append("\n\n");
    }
    if (done) {
      sb.append("data: [DONE]\n\n");
    }
    return sb.toString();
  }

  /**
   * An SSE body of typed events ({@code event: <type>} then {@code data:}), as Anthropic and the
   * Responses API send.
   */
  static String typedEvents(List<ObjectNode> events) {
    StringBuilder sb = new StringBuilder();
    for (ObjectNode e : events) {
      sb.append("event: ").append(e.path("type").asText()).append('\n')
          .append("data: ").append(write(e)).append("\n\n");
    }
    return sb.toString();
  }

  static MockResponse sse(String body) {
    return answer("text/event-stream", body);
  }

  static MockResponse jsonAnswer(JsonNode body) {
    return answer("application/json", write(body));
  }

  static ObjectNode first(List<ObjectNode> events, Predicate<JsonNode> test) {
    return events.stream().filter(test).findFirst()
        .orElseThrow(() -> new AssertionError("no such event in the recording")).deepCopy();
  }

  static String text(Case c) {
    return expected(c).text();
  }

  static String question(Case c) {
    return CrossProviderContract.request(c).messages().get(1).text();
  }

  /** Replaces, anywhere under {@code node}, the value {@code from} of a field {@code field} by {@code to}. */
  static void replaceAll(JsonNode node, String field, String from, String to) {
    if (node instanceof ObjectNode object) {
      JsonNode value = object.get(field);
      if (value != null && value.isTextual() && value.asText().equals(from)) {
        object.put(field, to);
      }
      object.forEach(child -> replaceAll(child, field, from, to));
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> replaceAll(child, field, from, to));
    }
  }

  // --- Chat Completions: OpenAI, Azure OpenAI, Mistral, the compatible presets

  /** The wire checks and reply builders every Chat Completions-shaped adapter shares. */
  abstract static class ChatCompletionsWire implements Adapter {
    @Override
    public String toString() {
      return name();
    }

    @Override
    public Set<Case> refusedByDesign() {
      return Set.of();
    }

    /** The path requests must go to. */
    abstract String path();

    /** The field the output-token limit goes in. */
    abstract String maxTokensField();

    /** Whether streams ask for usage with {@code stream_options}. */
    abstract boolean sendsStreamOptions();

    /** The recorded blocking body to adapt for {@code c}. */
    abstract ObjectNode blockingRecording(Case c);

    /** The recorded stream events to adapt for {@code c}. */
    abstract List<ObjectNode> streamRecording(Case c);

    @Override
    public MockResponse reply(Case c) {
      if (!c.streamed()) {
        return jsonAnswer(completion(blockingRecording(c), c));
      }
      List<ObjectNode> events = c == Case.STREAMED_TEXT
          ? textStream(streamRecording(c), usage(c))
          : toolStream(streamRecording(c), usage(c));
      return sse(dataEvents(events, true));
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      assertThat(request.getUrl().encodedPath()).isEqualTo(path());
      assertThat(body.path("model").asText()).isEqualTo(MODEL);
      assertThat(body.get("messages")).isEqualTo(json("[{\"role\":\"system\",\"content\":"
          + quote(SYSTEM) + "},{\"role\":\"user\",\"content\":" + quote(question(c)) + "}]"));
      assertThat(body.path(maxTokensField()).asInt()).isEqualTo(MAX_TOKENS);
      if (c.hasTool()) {
        assertThat(body.get("tools")).isEqualTo(json("[{\"type\":\"function\",\"function\":{\"name\":"
            + quote(TOOL_NAME) + ",\"description\":" + quote(TOOL_DESCRIPTION) + ",\"parameters\":"
            + TOOL_SCHEMA + "}}]"));
      } else {
        assertThat(body.has("tools")).isFalse();
      }
      switch (c) {
        case JSON_SCHEMA -> assertThat(body.get("response_format")).isEqualTo(json(
            "{\"type\":\"json_schema\",\"json_schema\":{\"name\":" + quote(SCHEMA_NAME) + ",\"schema\":"
                + SCHEMA + ",\"strict\":true}}"));
        case JSON_OBJECT -> assertThat(body.get("response_format"))
            .isEqualTo(json("{\"type\":\"json_object\"}"));
        default -> assertThat(body.has("response_format")).isFalse();
      }
      if (c.streamed()) {
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.has("stream_options")).isEqualTo(sendsStreamOptions());
        if (sendsStreamOptions()) {
          assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        }
      } else {
        assertThat(body.path("stream").asBoolean(false)).isFalse();
      }
    }

    /** A {@code chat.completion}: {@code recorded} with choice 0's message, finish and usage replaced. */
    static ObjectNode completion(ObjectNode recorded, Case c) {
      ObjectNode body = recorded.deepCopy();
      ObjectNode choice = (ObjectNode) body.get("choices").get(0);
      ObjectNode message = (ObjectNode) choice.get("message");
      if (c.hasTool()) {
        JsonNode calls = message.get("tool_calls");
        ObjectNode call = calls != null && calls.isArray() && !calls.isEmpty()
            ? (ObjectNode) calls.get(0).deepCopy()
            // OpenAI's spelling of a call, as in its recorded streams (no blocking tool call is recorded)
            : object("{\"id\":\"call_JMW1whyEaYG438VE1OIflxA2\",\"type\":\"function\",\"function\":{}}");
        ((ObjectNode) call.get("function")).put("name", TOOL_NAME).put("arguments", TOOL_ARGUMENTS);
        if (message.has("content")) {
          message.putNull("content");
        }
        message.putArray("tool_calls").add(call);
        choice.put("finish_reason", "tool_calls");
      } else {
        message.put("content", text(c));
        choice.put("finish_reason", "stop");
      }
      setUsage(body, usage(c));
      return body;
    }

    /**
     * A streamed text answer from a recorded stream: the chunks up to the role chunk as recorded, one
     * copy of the recording's first content chunk per piece, its finish chunk and its usage chunk.
     */
    static List<ObjectNode> textStream(List<ObjectNode> recorded, Usage usage) {
      List<ObjectNode> out = prefix(recorded);
      ObjectNode role = out.get(out.size() - 1);
      ObjectNode template = recorded.stream()
          .filter(e -> delta(e).path("content").isTextual() && !delta(e).path("content").asText().isEmpty())
          .findFirst().map(ObjectNode::deepCopy)
          // Groq's only recording is a tool call: its text chunk is its role chunk with a content delta
          .orElseGet(() -> {
            ObjectNode derived = role.deepCopy();
            derived.remove("x_groq");
            return derived;
          });
      for (String piece : ANSWER_PIECES) {
        ObjectNode chunk = template.deepCopy();
        ((ObjectNode) chunk.get("choices").get(0)).putObject("delta").put("content", piece);
        out.add(chunk);
      }
      ObjectNode finish = first(recorded, e -> e.path("choices").path(0).path("finish_reason").isTextual());
      ObjectNode finishChoice = (ObjectNode) finish.get("choices").get(0);
      finishChoice.put("finish_reason", "stop");
      if (delta(finish).path("content").isTextual()) {
        ((ObjectNode) finishChoice.get("delta")).put("content", "");
      }
      out.add(finish);
      addUsage(recorded, out, finish, usage);
      return out;
    }

    /**
     * A streamed tool call from a recorded one: the chunks up to the role chunk, the chunk that starts
     * the call (renamed), then one copy of the recording's first argument fragment per piece where the
     * recording fragments arguments, else the whole arguments in the start chunk as the recording has
     * them; then its finish and usage chunks.
     */
    static List<ObjectNode> toolStream(List<ObjectNode> recorded, Usage usage) {
      List<ObjectNode> out = prefix(recorded);
      ObjectNode start = first(recorded,
          e -> delta(e).path("tool_calls").path(0).path("function").path("name").isTextual());
      ObjectNode startFunction = (ObjectNode) delta(start).get("tool_calls").get(0).get("function");
      startFunction.put("name", TOOL_NAME);
      ObjectNode fragment = recorded.stream()
          .filter(e -> {
            JsonNode call = delta(e).path("tool_calls").path(0);
            return call.isObject() && !call.has("id") && call.path("function").has("arguments");
          })
          .findFirst().map(ObjectNode::deepCopy).orElse(null);
      out.add(start);
      if (fragment != null) {
        for (String piece : TOOL_ARGUMENT_PIECES) {
          ObjectNode chunk = fragment.deepCopy();
          ((ObjectNode) delta(chunk).get("tool_calls").get(0).get("function")).put("arguments", piece);
          out.add(chunk);
        }
      } else {
        startFunction.put("arguments", TOOL_ARGUMENTS);
      }
      ObjectNode finish;
      if (start.path("choices").path(0).path("finish_reason").isTextual()) {
        finish = start; // Mistral: the whole call, the finish and the usage in one chunk
      } else {
        finish = first(recorded, e -> e.path("choices").path(0).path("finish_reason").isTextual());
        out.add(finish);
      }
      ((ObjectNode) finish.get("choices").get(0)).put("finish_reason", "tool_calls");
      addUsage(recorded, out, finish, usage);
      return out;
    }

    /** The recorded chunks up to and including the role chunk (Azure sends a prompt-filter chunk first). */
    private static List<ObjectNode> prefix(List<ObjectNode> recorded) {
      List<ObjectNode> out = new ArrayList<>();
      for (ObjectNode e : recorded) {
        out.add(e.deepCopy());
        if (delta(e).has("role")) {
          return out;
        }
      }
      throw new AssertionError("the recording has no role chunk");
    }

    /** Usage on the finish chunk where the recording has it there, else on its usage-only chunk. */
    private static void addUsage(List<ObjectNode> recorded, List<ObjectNode> out, ObjectNode finish,
        Usage usage) {
      if (finish.path("usage").isObject()) {
        setUsage(finish, usage);
        return;
      }
      ObjectNode usageChunk = first(recorded,
          e -> e.path("choices").isArray() && e.path("choices").isEmpty() && e.path("usage").isObject());
      setUsage(usageChunk, usage);
      out.add(usageChunk);
    }

    private static JsonNode delta(JsonNode chunk) {
      return chunk.path("choices").path(0).path("delta");
    }

    /** Sets the token counts of {@code usage} (and of Groq's {@code x_groq.usage} where present). */
    static void setUsage(ObjectNode body, Usage usage) {
      for (JsonNode node : List.of(body.path("usage"), body.path("x_groq").path("usage"))) {
        if (node instanceof ObjectNode u) {
          u.put("prompt_tokens", usage.inputTokens())
              .put("completion_tokens", usage.outputTokens())
              .put("total_tokens", usage.totalTokens());
        }
      }
    }
  }

  static String quote(String s) {
    return write(TextNode.valueOf(s));
  }

  /** OpenAI's Chat Completions. */
  static final class OpenAi extends ChatCompletionsWire {
    @Override
    public String name() {
      return "openai";
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return OpenAiChatProvider.builder().baseUrl(server.url("/v1").toString())
          .apiKey(Secret.of(KEY)).build();
    }

    @Override
    String path() {
      return "/v1/chat/completions";
    }

    @Override
    String maxTokensField() {
      return "max_completion_tokens";
    }

    @Override
    boolean sendsStreamOptions() {
      return true;
    }

    @Override
    ObjectNode blockingRecording(Case c) {
      // real gpt-4.1-nano completion; for the tool call its message gets OpenAI's tool_calls instead
      // of content (no blocking tool call is recorded)
      return recordedObject("openai-chat", "response-text.json");
    }

    @Override
    List<ObjectNode> streamRecording(Case c) {
      return c == Case.STREAMED_TEXT
          ? recordedEvents("openai-chat", "stream-text-include-usage.sse")
          // real gpt-4o stream of two parallel calls: the first call is kept
          : recordedEvents("openai-chat", "stream-parallel-tool-calls.sse");
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      super.assertRequest(c, request, body);
      assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }
  }

  /**
   * Azure OpenAI, by deployment. No blocking Azure body and no streamed Azure tool call is recorded: those
   * replies are OpenAI's recordings with Azure's filter annotations taken from its recorded stream.
   */
  static final class Azure extends ChatCompletionsWire {
    @Override
    public String name() {
      return "azure";
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return AzureOpenAiChatProvider.builder().endpoint(server.url("/").toString())
          .apiKey(Secret.of(KEY)).build();
    }

    @Override
    String path() {
      return "/openai/deployments/" + MODEL + "/chat/completions";
    }

    @Override
    String maxTokensField() {
      return "max_completion_tokens";
    }

    @Override
    boolean sendsStreamOptions() {
      return true;
    }

    @Override
    ObjectNode blockingRecording(Case c) {
      List<ObjectNode> azure = recordedEvents("azure-openai", "chat-stream-model-router.jsonl");
      ObjectNode body = recordedObject("openai-chat", "response-text.json");
      body.set("prompt_filter_results", azure.get(0).get("prompt_filter_results"));
      ((ObjectNode) body.get("choices").get(0)).set("content_filter_results",
          azure.get(2).at("/choices/0/content_filter_results"));
      return body;
    }

    @Override
    List<ObjectNode> streamRecording(Case c) {
      List<ObjectNode> azure = recordedEvents("azure-openai", "chat-stream-model-router.jsonl");
      if (c == Case.STREAMED_TEXT) {
        return azure; // real: prompt-filter chunk, role chunk, content, finish, usage-only chunk
      }
      List<ObjectNode> events = new ArrayList<>();
      events.add(azure.get(0));
      events.addAll(recordedEvents("openai-chat", "stream-parallel-tool-calls.sse"));
      return events;
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      super.assertRequest(c, request, body);
      assertThat(request.getUrl().queryParameter("api-version"))
          .isEqualTo(AzureOpenAiChatProvider.DEFAULT_API_VERSION);
      assertThat(request.getHeaders().get("api-key")).isEqualTo(KEY);
      assertThat(request.getHeaders().get("Authorization")).isNull();
    }
  }

  /** Mistral. */
  static final class Mistral extends ChatCompletionsWire {
    @Override
    public String name() {
      return "mistral";
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return MistralChatProvider.builder().baseUrl(server.url("/v1").toString())
          .apiKey(Secret.of(KEY)).build();
    }

    @Override
    String path() {
      return "/v1/chat/completions";
    }

    @Override
    String maxTokensField() {
      return "max_tokens";
    }

    @Override
    boolean sendsStreamOptions() {
      return false;
    }

    @Override
    ObjectNode blockingRecording(Case c) {
      return recordedObject("mistral", c.hasTool() ? "response-tool-call.json" : "response-text.json");
    }

    @Override
    List<ObjectNode> streamRecording(Case c) {
      // the text stream is real (its recorder dropped the [DONE], which the reply adds back); the tool
      // stream sends the whole call, the finish and the usage in one chunk
      return recordedEvents("mistral",
          c == Case.STREAMED_TEXT ? "stream-text.jsonl" : "stream-tool-call.sse");
    }
  }

  /**
   * Groq, as the representative of the OpenAI-compatible presets. Only a Groq tool-call stream is
   * recorded: the blocking replies are OpenAI's recorded completion, and the streamed text uses the Groq
   * recording's role and finish chunks with content chunks derived from its role chunk.
   */
  static final class Groq extends ChatCompletionsWire {
    @Override
    public String name() {
      return "groq";
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return OpenAiCompatiblePreset.GROQ.builder().baseUrl(server.url("/openai/v1").toString())
          .apiKey(Secret.of(KEY)).build();
    }

    @Override
    String path() {
      return "/openai/v1/chat/completions";
    }

    @Override
    String maxTokensField() {
      return "max_tokens";
    }

    @Override
    boolean sendsStreamOptions() {
      return false;
    }

    @Override
    ObjectNode blockingRecording(Case c) {
      return recordedObject("openai-chat", "response-text.json");
    }

    @Override
    List<ObjectNode> streamRecording(Case c) {
      return recordedEvents("openai-compatible", "groq-stream-tool-call.jsonl");
    }
  }

  // --- OpenAI Responses

  /** The OpenAI Responses API. */
  static final class OpenAiResponses implements Adapter {
    private static final String RECORDED_STREAM = "stream-reasoning-function-calls.jsonl";

    @Override
    public String name() {
      return "openai-responses";
    }

    @Override
    public String toString() {
      return name();
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return OpenAiResponsesChatProvider.builder().baseUrl(server.url("/v1").toString())
          .apiKey(Secret.of(KEY)).build();
    }

    @Override
    public Set<Case> refusedByDesign() {
      return Set.of();
    }

    @Override
    public MockResponse reply(Case c) {
      return switch (c) {
        case STREAMED_TEXT -> sse(typedEvents(textStream()));
        case STREAMED_TOOL_CALL -> sse(typedEvents(toolStream()));
        default -> jsonAnswer(blocking(c));
      };
    }

    /**
     * The real blocking body of a reasoning model, with its output replaced: the recorded message item
     * holding the answer's text, or (no blocking function call is recorded) the function-call item of
     * the recorded stream.
     */
    private static ObjectNode blocking(Case c) {
      ObjectNode body = recordedObject("openai-responses", "response-reasoning-function-calls.json");
      ArrayNode output = (ArrayNode) body.get("output");
      ObjectNode item;
      if (c.hasTool()) {
        item = (ObjectNode) first(segment("function_call"),
            e -> e.path("type").asText().equals("response.output_item.done")).get("item");
        item.put("name", TOOL_NAME).put("arguments", TOOL_ARGUMENTS);
      } else {
        item = first(List.copyOf(elements(output)), e -> e.path("type").asText().equals("message"));
        ((ObjectNode) item.get("content").get(0)).put("text", text(c));
      }
      output.removeAll();
      output.add(item);
      setUsage((ObjectNode) body.get("usage"), usage(c));
      return body;
    }

    /** The recorded stream's last response, a text answer, with the deltas replaced by the pieces. */
    private static List<ObjectNode> textStream() {
      List<ObjectNode> recorded = segment("message");
      String recordedText = first(recorded,
          e -> e.path("type").asText().equals("response.output_text.done")).path("text").asText();
      List<ObjectNode> out = new ArrayList<>();
      boolean deltasWritten = false;
      for (ObjectNode e : recorded) {
        if (e.path("type").asText().equals("response.output_text.delta")) {
          if (!deltasWritten) {
            for (String piece : ANSWER_PIECES) {
              out.add(e.deepCopy().put("delta", piece));
            }
            deltasWritten = true;
          }
          continue;
        }
        ObjectNode copy = e.deepCopy();
        replaceAll(copy, "text", recordedText, text(Case.TEXT));
        out.add(copy);
      }
      return finish(out, usage(Case.STREAMED_TEXT));
    }

    /** The recorded stream's second response, one function call, renamed and with new argument deltas. */
    private static List<ObjectNode> toolStream() {
      List<ObjectNode> recorded = segment("function_call");
      ObjectNode done = first(recorded,
          e -> e.path("type").asText().equals("response.function_call_arguments.done"));
      String recordedArguments = done.path("arguments").asText();
      List<ObjectNode> out = new ArrayList<>();
      boolean deltasWritten = false;
      for (ObjectNode e : recorded) {
        if (e.path("type").asText().equals("response.function_call_arguments.delta")) {
          if (!deltasWritten) {
            for (String piece : TOOL_ARGUMENT_PIECES) {
              out.add(e.deepCopy().put("delta", piece));
            }
            deltasWritten = true;
          }
          continue;
        }
        ObjectNode copy = e.deepCopy();
        replaceAll(copy, "arguments", recordedArguments, TOOL_ARGUMENTS);
        replaceAll(copy, "name", "calculator", TOOL_NAME);
        out.add(copy);
      }
      return finish(out, usage(Case.STREAMED_TOOL_CALL));
    }

    /** Renumbers {@code sequence_number} and sets the usage of the terminal event. */
    private static List<ObjectNode> finish(List<ObjectNode> events, Usage usage) {
      for (int i = 0; i < events.size(); i++) {
        events.get(i).put("sequence_number", i);
      }
      ObjectNode completed = events.get(events.size() - 1);
      assertThat(completed.path("type").asText()).isEqualTo("response.completed");
      setUsage((ObjectNode) completed.at("/response/usage"), usage);
      return events;
    }

    /**
     * The events of the first response of the recorded stream (it holds several, one per turn of a
     * tool loop) whose first output item is of {@code itemType}.
     */
    private static List<ObjectNode> segment(String itemType) {
      List<ObjectNode> all = recordedEvents("openai-responses", RECORDED_STREAM);
      List<ObjectNode> segment = new ArrayList<>();
      for (ObjectNode e : all) {
        if (e.path("type").asText().equals("response.created")) {
          segment = new ArrayList<>();
        }
        segment.add(e);
        if (e.path("type").asText().equals("response.completed")) {
          ObjectNode added = segment.stream()
              .filter(x -> x.path("type").asText().equals("response.output_item.added"))
              .findFirst().orElse(null);
          if (added != null && added.at("/item/type").asText().equals(itemType)) {
            return segment;
          }
        }
      }
      throw new AssertionError("no response starting with a " + itemType + " item is recorded");
    }

    private static List<ObjectNode> elements(ArrayNode array) {
      List<ObjectNode> out = new ArrayList<>();
      array.forEach(n -> out.add((ObjectNode) n));
      return out;
    }

    private static void setUsage(ObjectNode u, Usage usage) {
      u.put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens())
          .put("total_tokens", usage.totalTokens());
      ((ObjectNode) u.get("output_tokens_details")).put("reasoning_tokens", 0);
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/responses");
      assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(body.path("model").asText()).isEqualTo(MODEL);
      assertThat(body.path("instructions").asText()).isEqualTo(SYSTEM);
      assertThat(body.get("input")).isEqualTo(json("[{\"type\":\"message\",\"role\":\"user\","
          + "\"content\":[{\"type\":\"input_text\",\"text\":" + quote(question(c)) + "}]}]"));
      assertThat(body.path("max_output_tokens").asInt()).isEqualTo(MAX_TOKENS);
      assertThat(body.path("store").asBoolean(true)).isFalse();
      if (c.hasTool()) {
        assertThat(body.get("tools")).isEqualTo(json("[{\"type\":\"function\",\"name\":"
            + quote(TOOL_NAME) + ",\"description\":" + quote(TOOL_DESCRIPTION) + ",\"parameters\":"
            + TOOL_SCHEMA + ",\"strict\":false}]"));
      } else {
        assertThat(body.has("tools")).isFalse();
      }
      switch (c) {
        case JSON_SCHEMA -> assertThat(body.at("/text/format")).isEqualTo(json(
            "{\"type\":\"json_schema\",\"name\":" + quote(SCHEMA_NAME) + ",\"schema\":" + SCHEMA
                + ",\"strict\":true}"));
        case JSON_OBJECT -> assertThat(body.at("/text/format"))
            .isEqualTo(json("{\"type\":\"json_object\"}"));
        default -> assertThat(body.has("text")).isFalse();
      }
      assertThat(body.path("stream").asBoolean(false)).isEqualTo(c.streamed());
    }
  }

  // --- Anthropic

  /** Anthropic's Messages API; it has no JSON-object mode and refuses it before any call. */
  static final class Anthropic implements Adapter {
    @Override
    public String name() {
      return "anthropic";
    }

    @Override
    public String toString() {
      return name();
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return AnthropicChatProvider.builder().baseUrl(server.url("/v1").toString()).apiKey(KEY).build();
    }

    @Override
    public Set<Case> refusedByDesign() {
      return EnumSet.of(Case.JSON_OBJECT);
    }

    @Override
    public MockResponse reply(Case c) {
      return switch (c) {
        case STREAMED_TEXT -> sse(typedEvents(textStream()));
        case STREAMED_TOOL_CALL -> sse(typedEvents(toolStream()));
        default -> jsonAnswer(blocking(c));
      };
    }

    /** The real text message, or the real tool_use message of a recorded exchange, adapted. */
    private static ObjectNode blocking(Case c) {
      ObjectNode body;
      if (c.hasTool()) {
        JsonNode exchange = json(CrossProviderContract.recording("anthropic",
            "exchange-tool-use-then-400-invalid-request.json"));
        body = (ObjectNode) exchange.get(0).at("/response/body").deepCopy();
        ObjectNode block = (ObjectNode) body.get("content").get(0);
        block.put("name", TOOL_NAME).set("input", json(TOOL_ARGUMENTS));
      } else {
        body = recordedObject("anthropic", "message-text.json");
        ((ObjectNode) body.get("content").get(0)).put("text", text(c));
      }
      setUsage((ObjectNode) body.get("usage"), usage(c), true);
      return body;
    }

    /** The real claude-sonnet-4-5 text stream, its deltas replaced by the pieces. */
    private static List<ObjectNode> textStream() {
      List<ObjectNode> recorded = recordedEvents("anthropic", "stream-text.jsonl");
      List<ObjectNode> out = new ArrayList<>();
      boolean deltasWritten = false;
      for (ObjectNode e : recorded) {
        if (e.path("type").asText().equals("content_block_delta")) {
          if (!deltasWritten) {
            for (String piece : ANSWER_PIECES) {
              ObjectNode d = e.deepCopy();
              ((ObjectNode) d.get("delta")).put("text", piece);
              out.add(d);
            }
            deltasWritten = true;
          }
          continue;
        }
        out.add(e.deepCopy());
      }
      setStreamUsage(out, usage(Case.STREAMED_TEXT));
      return out;
    }

    /**
     * The real claude-sonnet-4 stream of a text block then a tool_use block, with the text block left out
     * (the tool block renumbered to index 0), the tool renamed and its JSON fragments replaced.
     */
    private static List<ObjectNode> toolStream() {
      List<ObjectNode> recorded = recordedEvents("anthropic", "stream-text-then-tool-use.sse");
      List<ObjectNode> out = new ArrayList<>();
      boolean fragmentsWritten = false;
      for (ObjectNode e : recorded) {
        String type = e.path("type").asText();
        if (type.startsWith("content_block_")) {
          if (e.path("index").asInt() == 0) {
            continue;
          }
          ObjectNode copy = e.deepCopy().put("index", 0);
          if (type.equals("content_block_start")) {
            ((ObjectNode) copy.get("content_block")).put("name", TOOL_NAME);
          } else if (type.equals("content_block_delta")
              && !copy.at("/delta/partial_json").asText().isEmpty()) {
            if (!fragmentsWritten) {
              for (String piece : TOOL_ARGUMENT_PIECES) {
                ObjectNode d = copy.deepCopy();
                ((ObjectNode) d.get("delta")).put("partial_json", piece);
                out.add(d);
              }
              fragmentsWritten = true;
            }
            continue;
          }
          out.add(copy);
        } else {
          out.add(e.deepCopy());
        }
      }
      setStreamUsage(out, usage(Case.STREAMED_TOOL_CALL));
      return out;
    }

    /** Input tokens on message_start (output 1, as Anthropic sends), the final counts on message_delta. */
    private static void setStreamUsage(List<ObjectNode> events, Usage usage) {
      for (ObjectNode e : events) {
        switch (e.path("type").asText()) {
          case "message_start" -> {
            ObjectNode u = (ObjectNode) e.at("/message/usage");
            setUsage(u, usage, true);
            u.put("output_tokens", 1);
          }
          case "message_delta" -> setUsage((ObjectNode) e.get("usage"), usage,
              e.get("usage").has("input_tokens"));
          default -> {
            // no usage here
          }
        }
      }
    }

    private static void setUsage(ObjectNode u, Usage usage, boolean withInput) {
      if (withInput) {
        u.put("input_tokens", usage.inputTokens());
      }
      u.put("output_tokens", usage.outputTokens());
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/messages");
      assertThat(request.getHeaders().get("x-api-key")).isEqualTo(KEY);
      assertThat(request.getHeaders().get("anthropic-version"))
          .isEqualTo(AnthropicChatProvider.DEFAULT_ANTHROPIC_VERSION);
      assertThat(body.path("model").asText()).isEqualTo(MODEL);
      assertThat(body.path("max_tokens").asInt()).isEqualTo(MAX_TOKENS);
      assertThat(body.path("system").asText()).isEqualTo(SYSTEM);
      assertThat(body.get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":"
          + quote(question(c)) + "}]"));
      if (c.hasTool()) {
        assertThat(body.get("tools")).isEqualTo(json("[{\"name\":" + quote(TOOL_NAME)
            + ",\"description\":" + quote(TOOL_DESCRIPTION) + ",\"input_schema\":" + TOOL_SCHEMA
            + "}]"));
      } else {
        assertThat(body.has("tools")).isFalse();
      }
      if (c == Case.JSON_SCHEMA) {
        assertThat(body.at("/output_config/format")).isEqualTo(json(
            "{\"type\":\"json_schema\",\"schema\":" + SCHEMA + "}"));
      } else {
        assertThat(body.has("output_config")).isFalse();
      }
      assertThat(body.path("stream").asBoolean(false)).isEqualTo(c.streamed());
    }
  }

  // --- Gemini

  /** Google Gemini's Developer API. */
  static final class Gemini implements Adapter {
    @Override
    public String name() {
      return "gemini";
    }

    @Override
    public String toString() {
      return name();
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return GeminiChatProvider.builder().baseUrl(server.url("/v1beta").toString())
          .apiKey(Secret.of(KEY)).build();
    }

    @Override
    public Set<Case> refusedByDesign() {
      return Set.of();
    }

    @Override
    public MockResponse reply(Case c) {
      return switch (c) {
        case STREAMED_TEXT -> sse(dataEvents(textStream(), false));
        case STREAMED_TOOL_CALL -> sse(dataEvents(toolStream(), false));
        default -> jsonAnswer(blocking(c));
      };
    }

    /**
     * The real generateContent body with its text replaced; for the tool call, the real (Vertex) body of
     * parallel function calls cut to one call, with the usageMetadata of the text body added (the
     * recording has none).
     */
    private static ObjectNode blocking(Case c) {
      ObjectNode text = recordedObject("gemini", "response-text.json");
      ObjectNode body;
      if (c.hasTool()) {
        body = recordedObject("gemini", "response-parallel-function-calls-vertex.json");
        ArrayNode parts = (ArrayNode) body.at("/candidates/0/content/parts");
        ObjectNode call = (ObjectNode) parts.get(0).deepCopy();
        ((ObjectNode) call.get("functionCall")).put("name", TOOL_NAME).set("args", json(TOOL_ARGUMENTS));
        parts.removeAll().add(call);
        body.set("usageMetadata", text.get("usageMetadata"));
      } else {
        body = text;
        ((ObjectNode) body.at("/candidates/0/content/parts/0")).put("text", text(c));
      }
      setUsage((ObjectNode) body.get("usageMetadata"), usage(c), 0, true);
      return body;
    }

    /**
     * The real three-event text stream: its first event (text, prompt-only usage) copied for every piece
     * but the last, and its last event (finishReason, full usage) for the last piece.
     */
    private static List<ObjectNode> textStream() {
      List<ObjectNode> recorded = recordedEvents("gemini", "stream-text.sse");
      Usage usage = usage(Case.STREAMED_TEXT);
      List<ObjectNode> out = new ArrayList<>();
      for (int i = 0; i < ANSWER_PIECES.size(); i++) {
        boolean last = i == ANSWER_PIECES.size() - 1;
        ObjectNode event = (last ? recorded.get(recorded.size() - 1) : recorded.get(0)).deepCopy();
        ((ObjectNode) event.at("/candidates/0/content/parts/0")).put("text", ANSWER_PIECES.get(i));
        setUsage((ObjectNode) event.get("usageMetadata"), usage, 0, last);
        out.add(event);
      }
      return out;
    }

    /**
     * The real gemini-3-pro stream of a signed function call then an empty text with the finish; the call
     * renamed, and the usage split as 10 candidate plus 5 thoughts tokens, which the adapter must add up.
     */
    private static List<ObjectNode> toolStream() {
      List<ObjectNode> recorded = recordedEvents("gemini", "stream-function-call-thought-signature.jsonl");
      List<ObjectNode> out = new ArrayList<>();
      for (ObjectNode e : recorded) {
        ObjectNode copy = e.deepCopy();
        JsonNode call = copy.at("/candidates/0/content/parts/0/functionCall");
        if (call instanceof ObjectNode c) {
          c.put("name", TOOL_NAME).set("args", json(TOOL_ARGUMENTS));
        }
        setUsage((ObjectNode) copy.get("usageMetadata"), usage(Case.STREAMED_TOOL_CALL), 5, true);
        out.add(copy);
      }
      return out;
    }

    /**
     * Sets prompt and candidate counts (output minus {@code thoughts}, which go in
     * {@code thoughtsTokenCount} where the recording has that field), the total and the per-modality
     * details; a non-final stream event reports the prompt only, as Gemini does.
     */
    private static void setUsage(ObjectNode u, Usage usage, int thoughts, boolean withOutput) {
      long candidates = usage.outputTokens() - (u.has("thoughtsTokenCount") ? thoughts : 0);
      if (u.has("thoughtsTokenCount")) {
        u.put("thoughtsTokenCount", thoughts);
      }
      u.put("promptTokenCount", usage.inputTokens());
      setModalityCount(u.get("promptTokensDetails"), usage.inputTokens());
      if (withOutput) {
        u.put("candidatesTokenCount", candidates);
        setModalityCount(u.get("candidatesTokensDetails"), candidates);
        u.put("totalTokenCount", usage.totalTokens());
      } else {
        u.put("totalTokenCount", usage.inputTokens());
      }
    }

    private static void setModalityCount(JsonNode details, long count) {
      if (details instanceof ArrayNode array && array.size() == 1) {
        ((ObjectNode) array.get(0)).put("tokenCount", count);
      }
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      assertThat(request.getUrl().encodedPath()).isEqualTo("/v1beta/models/" + MODEL
          + (c.streamed() ? ":streamGenerateContent" : ":generateContent"));
      assertThat(request.getUrl().queryParameter("alt")).isEqualTo(c.streamed() ? "sse" : null);
      assertThat(request.getHeaders().get(GeminiChatProvider.API_KEY_HEADER)).isEqualTo(KEY);
      assertThat(request.getUrl().queryParameter("key")).isNull();
      assertThat(body.get("systemInstruction")).isEqualTo(json("{\"parts\":[{\"text\":" + quote(SYSTEM)
          + "}]}"));
      assertThat(body.get("contents")).isEqualTo(json("[{\"role\":\"user\",\"parts\":[{\"text\":"
          + quote(question(c)) + "}]}]"));
      assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(MAX_TOKENS);
      if (c.hasTool()) {
        assertThat(body.get("tools")).isEqualTo(json("[{\"functionDeclarations\":[{\"name\":"
            + quote(TOOL_NAME) + ",\"description\":" + quote(TOOL_DESCRIPTION)
            + ",\"parametersJsonSchema\":" + TOOL_SCHEMA + "}]}]"));
      } else {
        assertThat(body.has("tools")).isFalse();
      }
      JsonNode config = body.path("generationConfig");
      switch (c) {
        case JSON_SCHEMA -> {
          assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
          assertThat(config.get("responseJsonSchema")).isEqualTo(json(SCHEMA));
        }
        case JSON_OBJECT -> {
          assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
          assertThat(config.has("responseJsonSchema")).isFalse();
        }
        default -> assertThat(config.has("responseMimeType")).isFalse();
      }
    }
  }

  // --- Ollama

  /** Ollama's native {@code /api/chat}. */
  static final class Ollama implements Adapter {
    @Override
    public String name() {
      return "ollama";
    }

    @Override
    public String toString() {
      return name();
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return OllamaChatProvider.builder().baseUrl(server.url("/").toString()).build();
    }

    @Override
    public Set<Case> refusedByDesign() {
      return Set.of();
    }

    @Override
    public MockResponse reply(Case c) {
      return switch (c) {
        case STREAMED_TEXT -> answer("application/x-ndjson", lines(textStream()));
        case STREAMED_TOOL_CALL -> answer("application/x-ndjson", lines(toolStream()));
        default -> answer("application/json; charset=utf-8", write(blocking(c)));
      };
    }

    /** The real llama3.2 answer, or the recorded answer of several tool calls cut to one, adapted. */
    private static ObjectNode blocking(Case c) {
      ObjectNode body;
      if (c.hasTool()) {
        body = recordedObject("ollama", "chat-response-tool-calls.json");
        ArrayNode calls = (ArrayNode) body.at("/message/tool_calls");
        ObjectNode call = (ObjectNode) calls.get(0).deepCopy();
        ((ObjectNode) call.get("function")).put("name", TOOL_NAME).set("arguments", json(TOOL_ARGUMENTS));
        calls.removeAll().add(call);
      } else {
        body = recordedObject("ollama", "chat-response-text.json");
        ((ObjectNode) body.get("message")).put("content", text(c));
      }
      setUsage(body, usage(c));
      return body;
    }

    /** The recorded phi3 stream: its first line copied per piece, then its final done line. */
    private static List<ObjectNode> textStream() {
      List<ObjectNode> recorded = recordedEvents("ollama", "chat-stream-text.ndjson");
      List<ObjectNode> out = new ArrayList<>();
      for (String piece : ANSWER_PIECES) {
        ObjectNode line = recorded.get(0).deepCopy();
        ((ObjectNode) line.get("message")).put("content", piece);
        out.add(line);
      }
      ObjectNode done = recorded.get(recorded.size() - 1).deepCopy();
      setUsage(done, usage(Case.STREAMED_TEXT));
      out.add(done);
      return out;
    }

    /**
     * No streamed Ollama tool call is recorded: the recorded text stream's framing, with the first line
     * carrying the whole call in the recorded tool-call answer's shape (Ollama streams tool calls whole),
     * then the recorded done line.
     */
    private static List<ObjectNode> toolStream() {
      List<ObjectNode> recorded = recordedEvents("ollama", "chat-stream-text.ndjson");
      ObjectNode line = recorded.get(0).deepCopy();
      ObjectNode message = (ObjectNode) line.get("message");
      message.put("content", "");
      message.putArray("tool_calls").addObject().putObject("function").put("name", TOOL_NAME)
          .set("arguments", json(TOOL_ARGUMENTS));
      ObjectNode done = recorded.get(recorded.size() - 1).deepCopy();
      setUsage(done, usage(Case.STREAMED_TOOL_CALL));
      return List.of(line, done);
    }

    private static void setUsage(ObjectNode body, Usage usage) {
      body.put("prompt_eval_count", usage.inputTokens()).put("eval_count", usage.outputTokens());
    }

    private static String lines(List<ObjectNode> events) {
      StringBuilder sb = new StringBuilder();
      events.forEach(e -> sb.append(write(e)).append('\n'));
      return sb.toString();
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      assertThat(request.getUrl().encodedPath()).isEqualTo("/api/chat");
      assertThat(request.getHeaders().get("Authorization")).isNull();
      assertThat(body.path("model").asText()).isEqualTo(MODEL);
      assertThat(body.get("messages")).isEqualTo(json("[{\"role\":\"system\",\"content\":"
          + quote(SYSTEM) + "},{\"role\":\"user\",\"content\":" + quote(question(c)) + "}]"));
      assertThat(body.at("/options/num_predict").asInt()).isEqualTo(MAX_TOKENS);
      if (c.hasTool()) {
        assertThat(body.get("tools")).isEqualTo(json("[{\"type\":\"function\",\"function\":{\"name\":"
            + quote(TOOL_NAME) + ",\"description\":" + quote(TOOL_DESCRIPTION) + ",\"parameters\":"
            + TOOL_SCHEMA + "}}]"));
      } else {
        assertThat(body.has("tools")).isFalse();
      }
      switch (c) {
        case JSON_SCHEMA -> assertThat(body.get("format")).isEqualTo(json(SCHEMA));
        case JSON_OBJECT -> assertThat(body.get("format")).isEqualTo(json("\"json\""));
        default -> assertThat(body.has("format")).isFalse();
      }
      assertThat(body.get("stream")).isEqualTo(json(String.valueOf(c.streamed())));
    }
  }
}

package dev.llmgateway.provider.openai.responses;

import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.API_KEY;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.REQUEST_ID;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.events;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.json;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.recordedResponses;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.simpleRequest;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatResponseAccumulator;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.provider.ConformanceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recording in {@code conformance/openai-responses/} and the Azure Responses stream. The
 * expectations are computed from the recordings themselves (the items of {@code output_item.done} and of
 * the terminal response, the {@code *.done} events, the usage), independently of the adapter's code; the
 * literal spot checks below pin a few values by hand.
 */
class OpenAiResponsesConformanceTest {
  private static final String DIR = "openai-responses";
  private static final Path AZURE_STREAM =
      ConformanceFiles.file("azure-openai", "responses-stream-function-call.jsonl");
  private static final Pattern ERROR_FILE = Pattern.compile("error-(\\d{3})-.*\\.json");

  private final OkHttpClient client = new OkHttpClient();
  private MockWebServer server;
  private OpenAiResponsesChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = OpenAiResponsesTestSupport.providerFor(server, client).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---- which files are replayed ----------------------------------------------------------------

  static List<Path> streamFiles() {
    List<Path> files = new ArrayList<>(ConformanceFiles.files(DIR, ".jsonl"));
    files.add(AZURE_STREAM);
    return files;
  }

  static Stream<Arguments> recordedStreams() {
    List<Arguments> all = new ArrayList<>();
    for (Path file : streamFiles()) {
      List<List<String>> responses = recordedResponses(file);
      for (int i = 0; i < responses.size(); i++) {
        all.add(Arguments.of(file.getParent().getFileName() + "/" + file.getFileName() + " #" + i,
            responses.get(i)));
      }
    }
    return all.stream();
  }

  static Stream<Path> recordedBodies() {
    return ConformanceFiles.files(DIR, ".json").stream()
        .filter(p -> p.getFileName().toString().startsWith("response-"));
  }

  static Stream<Path> recordedErrors() {
    return ConformanceFiles.files(DIR, ".json").stream()
        .filter(p -> ERROR_FILE.matcher(p.getFileName().toString()).matches());
  }

  @Test
  void everyRecordingIsReplayed() throws Exception {
    try (Stream<Path> files = Files.list(ConformanceFiles.dir().resolve(DIR))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name.endsWith(".jsonl")
          || (name.startsWith("response-") && name.endsWith(".json"))
          || ERROR_FILE.matcher(name).matches())
          .as("%s is replayed by one of the tests", name).isTrue());
    }
    assertThat(Files.isRegularFile(AZURE_STREAM)).isTrue();
    assertThat(recordedStreams().count()).as("responses in the stream recordings").isEqualTo(6);
  }

  // ---- streams ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedStreams")
  void streamedResponseMatchesTheRecording(String name, List<String> lines) {
    List<JsonNode> recorded = lines.stream().map(OpenAiResponsesTestSupport::json).toList();
    JsonNode created = first(recorded, "response.created").path("response");
    JsonNode errorEvent = first(recorded, "error");
    JsonNode terminal = last(recorded, "response.completed", "response.incomplete", "response.failed");
    server.enqueue(sse(events(lines)));
    List<ChatChunk> chunks = new ArrayList<>();
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    ChatChunk.Start start = new ChatChunk.Start(created.path("id").asText(),
        created.path("model").asText(), "openai-responses", REQUEST_ID);

    if (errorEvent != null || "response.failed".equals(terminal.path("type").asText())) {
      LlmException e = catchThrowableOfType(LlmException.class, () -> drain(stream, chunks));
      String code = errorEvent != null
          ? errorEvent.path("error").path("code").asText(errorEvent.path("code").asText())
          : terminal.path("response").path("error").path("code").asText();
      assertThat(e).as(name).isNotNull();
      assertThat(e.getMessage()).contains(code).doesNotContain(API_KEY);
      assertThat(e.provider()).isEqualTo("openai-responses");
      assertThat(e.requestId()).isEqualTo(REQUEST_ID);
      assertThat(chunks).first().isEqualTo(start);
      return;
    }

    drain(stream, chunks);
    ChatResponseAccumulator acc = new ChatResponseAccumulator();
    chunks.forEach(acc::accept);
    ChatResponse streamed = acc.build();
    assertThat(chunks).first().isEqualTo(start);

    // content: exactly the items of the output_item.done events, in order
    List<JsonNode> doneItems = recorded.stream()
        .filter(e -> e.path("type").asText().equals("response.output_item.done"))
        .map(e -> e.path("item")).toList();
    assertThat(streamed.message().content()).isEqualTo(expectedContent(doneItems));

    // function calls: streamed fragments == arguments.done == the item's arguments
    Map<String, StringBuilder> fragments = new LinkedHashMap<>();
    for (JsonNode e : recorded) {
      if (e.path("type").asText().equals("response.function_call_arguments.delta")) {
        fragments.computeIfAbsent(e.path("item_id").asText(), k -> new StringBuilder())
            .append(e.path("delta").asText());
      }
    }
    for (JsonNode e : recorded) {
      if (e.path("type").asText().equals("response.function_call_arguments.done")) {
        String done = e.path("arguments").asText();
        assertThat(fragments.get(e.path("item_id").asText())).hasToString(done);
        JsonNode item = doneItems.stream().filter(i -> i.path("id").asText()
            .equals(e.path("item_id").asText())).findFirst().orElseThrow();
        assertThat(streamed.toolCalls()).contains(new ContentPart.ToolCall(
            item.path("call_id").asText(), item.path("name").asText(), done));
      }
    }

    // text: the deltas, the output_text.done texts and the collected text agree
    assertThat(streamed.text())
        .isEqualTo(concat(recorded, "response.output_text.delta", "delta"))
        .isEqualTo(concat(recorded, "response.output_text.done", "text"));
    // reasoning summaries: the deltas equal the summary_text.done texts
    assertThat(concat(recorded, "response.reasoning_summary_text.delta", "delta"))
        .isEqualTo(concat(recorded, "response.reasoning_summary_text.done", "text"));

    JsonNode response = terminal.path("response");
    assertThat(streamed.usage()).isEqualTo(expectedUsage(response.path("usage")));
    assertThat(streamed.finishReason()).isEqualTo(expectedFinish(response));
    assertThat(streamed.rawFinishReason()).isEqualTo(response.path("status").asText());
    assertThat(streamed.id()).isEqualTo(response.path("id").asText());
    assertThat(streamed.model()).isEqualTo(response.path("model").asText());
    assertThat(streamed.provider()).isEqualTo("openai-responses");
    assertThat(streamed.requestId()).isEqualTo(REQUEST_ID);
    assertThat(streamed.refusal()).isNull();

    // the terminal response, served as a blocking body, decodes to the same answer
    server.enqueue(OpenAiResponsesTestSupport.json(200, response.toString()));
    ChatResponse blocking = provider.chat(simpleRequest(), CallContext.standalone(false));
    List<JsonNode> finalItems = new ArrayList<>();
    response.path("output").forEach(finalItems::add);
    assertThat(blocking.message().content()).isEqualTo(expectedContent(finalItems));
    assertThat(blocking.toolCalls()).isEqualTo(streamed.toolCalls());
    assertThat(blocking.text()).isEqualTo(streamed.text());
    assertThat(blocking.toBuilder().message(streamed.message()).build()).isEqualTo(streamed);
  }

  @Test
  void reasoningAndFunctionCallStreamSpotChecks() {
    List<List<String>> responses = recordedResponses(ConformanceFiles.file(DIR,
        "stream-reasoning-function-calls.jsonl"));
    assertThat(responses).hasSize(4);

    server.enqueue(sse(events(responses.get(0))));
    ChatResponse first = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(first.id()).isEqualTo("resp_01830d662ab3856501693c321345c88190b0de00f3b9975691");
    assertThat(first.model()).isEqualTo("gpt-5.1-codex-max");
    assertThat(first.message().content()).hasSize(2);
    ContentPart.Thinking thinking = (ContentPart.Thinking) first.message().content().get(0);
    assertThat(thinking.text()).startsWith("**Calculating step-by-step using calculator**\n\nI'll compute 12")
        .endsWith("reporting the final product.");
    assertThat(thinking.signature()).startsWith("gAAAAABpPDIVOKrsHNZ0");
    assertThat(thinking.redacted()).isTrue();
    assertThat(first.toolCalls()).containsExactly(new ContentPart.ToolCall(
        "call_AB6AaRZ1FYZB2RwS6A5vbdqn", "calculator", "{\"a\":12,\"b\":7,\"op\":\"add\"}"));
    assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(first.rawFinishReason()).isEqualTo("completed");
    assertThat(first.usage()).isEqualTo(new Usage(134, 28, 0, 0, 0, false));

    server.enqueue(sse(events(responses.get(3))));
    ChatResponse last = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(last.message().content()).containsExactly(
        new ContentPart.Text("The final result is **570**."));
    assertThat(last.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(last.usage()).isEqualTo(new Usage(299, 12, 0, 0, 0, false));
  }

  @Test
  void azureResponsesStreamSpotChecks() {
    server.enqueue(sse(events(ConformanceFiles.jsonLines(AZURE_STREAM))));
    List<ChatChunk> chunks = new ArrayList<>();
    drain(provider.stream(simpleRequest(), CallContext.standalone(true)), chunks);
    assertThat(chunks.get(1)).isEqualTo(new ChatChunk.ToolCallDelta(0, "call_H5DxLSFnsGhiROnUiDHmgyc8",
        "weather", ""));
    assertThat(chunks.get(2)).isEqualTo(new ChatChunk.ToolCallDelta(0, null, null, "{\""));
    ChatResponseAccumulator acc = new ChatResponseAccumulator();
    chunks.forEach(acc::accept);
    ChatResponse response = acc.build();
    assertThat(response.model()).isEqualTo("gpt-5.1");
    assertThat(response.toolCalls()).containsExactly(new ContentPart.ToolCall(
        "call_H5DxLSFnsGhiROnUiDHmgyc8", "weather", "{\"location\":\"San Francisco\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).isEqualTo(new Usage(45, 24, 0, 0, 0, false));
  }

  @Test
  void insufficientQuotaMidStreamIsARateLimitThatIsNotRetryable() {
    List<String> lines = ConformanceFiles.jsonLines(ConformanceFiles.file(DIR,
        "stream-error-insufficient-quota.jsonl"));
    server.enqueue(sse(events(lines)));
    List<ChatChunk> chunks = new ArrayList<>();
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> drain(stream, chunks));
    assertThat(e).isNotNull();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("insufficient_quota").contains("You exceeded your current quota");
    assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    assertThat(chunks).containsExactly(new ChatChunk.Start(
        "resp_05500b38c2cd9bfc00691c7c9d222481a3b595421266dab424", "gpt-5-nano-2025-08-07",
        "openai-responses", REQUEST_ID));
  }

  // ---- blocking bodies -------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedBodies")
  void blockingResponseMatchesTheRecording(Path file) {
    JsonNode body = json(ConformanceFiles.text(file));
    server.enqueue(OpenAiResponsesTestSupport.json(200, ConformanceFiles.text(file)));
    ChatResponse response = provider.chat(simpleRequest(), CallContext.standalone(false));
    List<JsonNode> items = new ArrayList<>();
    body.path("output").forEach(items::add);
    assertThat(response.message().content()).isEqualTo(expectedContent(items));
    assertThat(response.usage()).isEqualTo(expectedUsage(body.path("usage")));
    assertThat(response.finishReason()).isEqualTo(expectedFinish(body));
    assertThat(response.rawFinishReason()).isEqualTo(body.path("status").asText());
    assertThat(response.id()).isEqualTo(body.path("id").asText());
    assertThat(response.model()).isEqualTo(body.path("model").asText());
    assertThat(response.provider()).isEqualTo("openai-responses");
    assertThat(response.requestId()).isEqualTo(REQUEST_ID);
  }

  @Test
  void blockingReasoningResponseSpotChecks() {
    server.enqueue(OpenAiResponsesTestSupport.json(200, ConformanceFiles.text(
        ConformanceFiles.file(DIR, "response-reasoning-function-calls.json"))));
    ChatResponse response = provider.chat(simpleRequest(), CallContext.standalone(false));
    assertThat(response.id()).isEqualTo("resp_0f35ed53160b395301693cc957829881909359e7f80cdd20b5");
    assertThat(response.model()).isEqualTo("gpt-5-mini-2025-08-07");
    assertThat(response.text()).isEqualTo("12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570");
    ContentPart.Thinking thinking = (ContentPart.Thinking) response.message().content().get(0);
    assertThat(thinking.text()).startsWith("**Reporting final result**\n\nThe tool returned 570");
    assertThat(thinking.signature()).startsWith("gAAAAABpPMlcH0HHEv5_").endsWith("2kCQ==");
    assertThat(thinking.redacted()).isTrue();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(new Usage(865, 163, 0, 0, 128, false));
  }

  // ---- error bodies ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedErrors")
  void errorBodyMapsToTheExceptionHierarchy(Path file) {
    Matcher m = ERROR_FILE.matcher(file.getFileName().toString());
    assertThat(m.matches()).isTrue();
    int status = Integer.parseInt(m.group(1));
    JsonNode error = json(ConformanceFiles.text(file)).path("error");
    server.enqueue(OpenAiResponsesTestSupport.json(status, ConformanceFiles.text(file)));
    LlmException e = catchThrowableOfType(LlmException.class,
        () -> provider.chat(simpleRequest(), CallContext.standalone(false)));
    assertThat(e).isNotNull();
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    assertThat(e.getMessage()).contains(error.path("message").asText());
    if (!error.path("param").isNull()) {
      assertThat(e.getMessage()).contains("param " + error.path("param").asText());
    }
    if (status == 400) {
      assertThat(e).isInstanceOf(InvalidRequestException.class);
      assertThat(e.isRetryable()).isFalse();
    }
  }

  @Test
  void unsupportedTemperatureIsAnInvalidRequestNamingTheParameter() {
    server.enqueue(OpenAiResponsesTestSupport.json(400, ConformanceFiles.text(
        ConformanceFiles.file(DIR, "error-400-temperature-unsupported.json"))));
    LlmException e = catchThrowableOfType(LlmException.class,
        () -> provider.chat(simpleRequest(), CallContext.standalone(false)));
    assertThat(e).isExactlyInstanceOf(InvalidRequestException.class)
        .isNotInstanceOf(ContextLengthExceededException.class);
    assertThat(e.getMessage()).startsWith("openai-responses answered HTTP 400 (invalid_request_error, "
        + "param temperature): Unsupported parameter: 'temperature' is not supported with this model.");
    assertThat(e.isRetryable()).isFalse();
  }

  // ---- expectations computed from the recordings ------------------------------------------------

  /** Reasoning items as thinking, message text as text, function calls as tool calls, in order. */
  private static List<ContentPart> expectedContent(List<JsonNode> items) {
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode item : items) {
      switch (item.path("type").asText()) {
        case "reasoning" -> {
          List<String> summary = new ArrayList<>();
          item.path("summary").forEach(s -> summary.add(s.path("text").asText()));
          String encrypted = item.path("encrypted_content").asText(null);
          parts.add(new ContentPart.Thinking(String.join("\n\n", summary), encrypted, encrypted != null));
        }
        case "message" -> {
          StringBuilder text = new StringBuilder();
          item.path("content").forEach(c -> text.append(c.path("text").asText()));
          parts.add(new ContentPart.Text(text.toString()));
        }
        case "function_call" -> parts.add(new ContentPart.ToolCall(item.path("call_id").asText(),
            item.path("name").asText(), item.path("arguments").asText()));
        default -> throw new AssertionError("the recordings hold no " + item.path("type") + " items");
      }
    }
    return parts;
  }

  private static Usage expectedUsage(JsonNode usage) {
    return new Usage(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong(),
        usage.path("input_tokens_details").path("cached_tokens").asLong(), 0,
        usage.path("output_tokens_details").path("reasoning_tokens").asLong(), false);
  }

  private static FinishReason expectedFinish(JsonNode response) {
    assertThat(response.path("status").asText()).as("the recordings are completed responses")
        .isEqualTo("completed");
    for (JsonNode item : response.path("output")) {
      if (item.path("type").asText().equals("function_call")) {
        return FinishReason.TOOL_CALLS;
      }
    }
    return FinishReason.STOP;
  }

  private static String concat(List<JsonNode> events, String type, String field) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode e : events) {
      if (e.path("type").asText().equals(type)) {
        sb.append(e.path(field).asText());
      }
    }
    return sb.toString();
  }

  private static @Nullable JsonNode first(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("type").asText().equals(type)).findFirst().orElse(null);
  }

  private static JsonNode last(List<JsonNode> events, String... types) {
    JsonNode found = null;
    for (JsonNode e : events) {
      for (String type : types) {
        if (e.path("type").asText().equals(type)) {
          found = e;
        }
      }
    }
    assertThat(found).as("a terminal event").isNotNull();
    return found;
  }

  private static void drain(ChatStream stream, List<ChatChunk> into) {
    try (stream) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        into.add(c);
      }
    }
  }
}

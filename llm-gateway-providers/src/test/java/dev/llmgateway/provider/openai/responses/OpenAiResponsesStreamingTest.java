package dev.llmgateway.provider.openai.responses;

import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.REQUEST_ID;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.created;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.event;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.events;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.simpleRequest;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.sse;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.terminal;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.textDelta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.provider.ConformanceFiles;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiResponsesStreamingTest {
  private static final Usage USAGE = new Usage(10, 7, 4, 0, 3, false);
  private static final String REASONING_DONE = "{\"type\":\"response.output_item.done\",\"output_index\":0,"
      + "\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\",\"encrypted_content\":\"enc-1\",\"summary\":[]}}";

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

  private List<ChatChunk> pull(ChatStream stream) {
    List<ChatChunk> chunks = new ArrayList<>();
    try (stream) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }
    return chunks;
  }

  private ChatResponse blocking(String responseJson) {
    server.enqueue(OpenAiResponsesTestSupport.json(200, responseJson));
    return provider.chat(simpleRequest(), CallContext.standalone(false));
  }

  @Test
  void mapsEventsToChunksInOrder() {
    server.enqueue(sse(events(List.of(
        created("resp_1", "o3-mini"),
        "{\"type\":\"response.in_progress\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}",
        "{\"type\":\"response.reasoning_summary_text.delta\",\"output_index\":0,\"summary_index\":0,"
            + "\"delta\":\"Think\"}",
        REASONING_DONE,
        textDelta(1, "Hel"),
        textDelta(1, "lo"),
        "{\"type\":\"response.output_item.added\",\"output_index\":2,\"item\":{\"type\":\"function_call\","
            + "\"id\":\"fc_1\",\"call_id\":\"call_9\",\"name\":\"f\",\"arguments\":\"\"}}",
        "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":2,\"delta\":\"{}\"}",
        terminal("response.completed", "completed", null, "[]")))));
    assertThat(pull(provider.stream(simpleRequest(), CallContext.standalone(true)))).containsExactly(
        new ChatChunk.Start("resp_1", "o3-mini", "openai-responses", REQUEST_ID),
        new ChatChunk.ThinkingDelta("Think", null, false),
        new ChatChunk.ThinkingDelta("", "enc-1", true),
        new ChatChunk.TextDelta("Hel"),
        new ChatChunk.TextDelta("lo"),
        new ChatChunk.ToolCallDelta(2, "call_9", "f", ""),
        new ChatChunk.ToolCallDelta(2, null, null, "{}"),
        new ChatChunk.Finish(FinishReason.TOOL_CALLS, "completed"),
        new ChatChunk.UsageUpdate(USAGE));
  }

  @Test
  void aStreamCutBeforeItsTerminalEventIsInterrupted() {
    List<String> lines = ConformanceFiles.jsonLines(ConformanceFiles.file("azure-openai",
        "responses-stream-function-call.jsonl"));
    String cut = events(lines.subList(0, lines.size() - 1)); // everything but response.completed
    server.enqueue(sse(cut));
    List<ChatChunk> chunks = new ArrayList<>();
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class, () -> {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    });
    stream.close();
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("stream ended before openai-responses sent response.completed");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    assertThat(chunks).as("what arrived before the cut reached the caller")
        .anySatisfy(c -> assertThat(c).isInstanceOf(ChatChunk.ToolCallDelta.class))
        .noneSatisfy(c -> assertThat(c).isInstanceOf(ChatChunk.Finish.class));
  }

  @Test
  void aStreamCutInTheMiddleOfAnEventIsInterrupted() {
    String partial = event(created("resp_1", "o3-mini")) + "event: response.output_text.delta\n"
        + "data: {\"type\":\"response.output_text.delta\",\"delta\":\"Hel";
    server.enqueue(sse(partial));
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class,
        () -> pull(stream));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("stream ended");
  }

  @Test
  void anIncompleteResponseAtTheTokenLimitFinishesWithLength() {
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"), textDelta(0, "Partial"),
        terminal("response.incomplete", "incomplete", "max_output_tokens", "[]")))));
    ChatResponse response = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(response.rawFinishReason()).isEqualTo("max_output_tokens");
    assertThat(response.usage()).isEqualTo(USAGE);
    assertThat(response.text()).isEqualTo("Partial");
    assertThat(blocking(OpenAiResponsesTestSupport.responseJson("incomplete", "max_output_tokens",
        "[]")).finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void anIncompleteResponseCutByTheFilterFinishesWithContentFilter() {
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"),
        terminal("response.incomplete", "incomplete", "content_filter", "[]")))));
    ChatResponse response = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(response.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(response.rawFinishReason()).isEqualTo("content_filter");
  }

  @Test
  void aFailedResponseWithoutAnErrorFinishesWithError() {
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"),
        terminal("response.failed", "failed", null, "[]")))));
    ChatResponse response = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(response.finishReason()).isEqualTo(FinishReason.ERROR);
    assertThat(response.rawFinishReason()).isEqualTo("failed");
    assertThat(blocking(OpenAiResponsesTestSupport.responseJson("failed", null, "[]")).finishReason())
        .isEqualTo(FinishReason.ERROR);
  }

  @Test
  void refusalsStreamApartFromText() {
    String output = "[{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"refusal\","
        + "\"refusal\":\"I can't help with that.\"}]}]";
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"),
        "{\"type\":\"response.refusal.delta\",\"output_index\":0,\"delta\":\"I can't \"}",
        "{\"type\":\"response.refusal.delta\",\"output_index\":0,\"delta\":\"help with that.\"}",
        terminal("response.completed", "completed", null, output)))));
    ChatResponse streamed = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(streamed.refusal()).isEqualTo("I can't help with that.");
    assertThat(streamed.text()).isEmpty();
    assertThat(streamed.finishReason()).isEqualTo(FinishReason.STOP);
    ChatResponse blocking = blocking(OpenAiResponsesTestSupport.responseJson("completed", null, output));
    assertThat(blocking.refusal()).isEqualTo(streamed.refusal());
    assertThat(blocking.message()).isEqualTo(streamed.message());
  }

  @Test
  void summaryPartsAreSeparatedAsInTheBlockingAnswer() {
    String item = "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"encrypted_content\":\"enc-1\",\"summary\":["
        + "{\"type\":\"summary_text\",\"text\":\"First.\"},{\"type\":\"summary_text\",\"text\":\"Second.\"}]}";
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"),
        "{\"type\":\"response.reasoning_summary_text.delta\",\"output_index\":0,\"summary_index\":0,"
            + "\"delta\":\"First.\"}",
        "{\"type\":\"response.reasoning_summary_text.delta\",\"output_index\":0,\"summary_index\":1,"
            + "\"delta\":\"Second.\"}",
        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + item + "}",
        terminal("response.completed", "completed", null, "[" + item + "]")))));
    ChatResponse streamed = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(streamed.message().content()).containsExactly(
        new ContentPart.Thinking("First.\n\nSecond.", "enc-1", true));
    assertThat(blocking(OpenAiResponsesTestSupport.responseJson("completed", null, "[" + item + "]"))
        .message()).isEqualTo(streamed.message());
  }

  @Test
  void itemsSentOnlyWhenDoneAreStillDelivered() {
    String reasoning = "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"encrypted_content\":\"enc-1\","
        + "\"summary\":[{\"type\":\"summary_text\",\"text\":\"Plan.\"}]}";
    String message = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":"
        + "[{\"type\":\"output_text\",\"text\":\"Calling.\"}]}";
    String call = "{\"id\":\"fc_1\",\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"f\","
        + "\"arguments\":\"{\\\"x\\\":1}\"}";
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"),
        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + reasoning + "}",
        "{\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":" + message + "}",
        "{\"type\":\"response.output_item.done\",\"output_index\":2,\"item\":" + call + "}",
        terminal("response.completed", "completed", null, "[" + reasoning + "," + message + "," + call
            + "]")))));
    ChatResponse streamed = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(streamed.message().content()).containsExactly(
        new ContentPart.Thinking("Plan.", "enc-1", true),
        new ContentPart.Text("Calling."),
        new ContentPart.ToolCall("call_1", "f", "{\"x\":1}"));
    assertThat(streamed.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(blocking(OpenAiResponsesTestSupport.responseJson("completed", null, "[" + reasoning + ","
        + message + "," + call + "]")).message()).isEqualTo(streamed.message());
  }

  @Test
  void unknownEventsAreIgnored() {
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"),
        "{\"type\":\"response.web_search_call.in_progress\",\"output_index\":0}",
        "{\"type\":\"response.something_new\",\"payload\":{\"x\":[1,2]}}",
        textDelta(1, "ok"),
        terminal("response.completed", "completed", null, "[]")))));
    ChatResponse response = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(response.text()).isEqualTo("ok");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
  }
}

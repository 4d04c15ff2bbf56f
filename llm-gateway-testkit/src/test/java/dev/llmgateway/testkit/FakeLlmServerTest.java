package dev.llmgateway.testkit;

import static dev.llmgateway.testkit.RawOpenAiClient.MAPPER;
import static dev.llmgateway.testkit.RawOpenAiClient.chatBody;
import static dev.llmgateway.testkit.RawOpenAiClient.chunks;
import static dev.llmgateway.testkit.RawOpenAiClient.streamBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeLlmServerTest {

  private final FakeLlmServer server = FakeLlmServer.start();
  private final RawOpenAiClient client = new RawOpenAiClient(server);

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void baseUrlIsOpenAiStyleOnLoopback() {
    assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
    assertThat(server.chatCompletionsUrl()).isEqualTo(server.baseUrl() + "/chat/completions");
  }

  @Test
  void blockingCallReturnsAChatCompletionShapedLikeOpenAis() throws IOException {
    server.enqueue(FakeReply.text("Paris is the capital."));

    try (Response response = client.post(chatBody("gpt-4o-mini", "Capital of France?").toString())) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Type")).startsWith("application/json");
      assertThat(response.header("x-request-id")).isEqualTo("req_fake_1");
      JsonNode body = MAPPER.readTree(response.body().string());

      assertThat(body.get("id").asText()).isEqualTo("chatcmpl-fake-1");
      assertThat(body.get("object").asText()).isEqualTo("chat.completion");
      assertThat(body.get("created").isIntegralNumber()).isTrue();
      assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(body.get("choices")).hasSize(1);
      JsonNode choice = body.at("/choices/0");
      assertThat(choice.get("index").asInt()).isZero();
      assertThat(choice.at("/message/role").asText()).isEqualTo("assistant");
      assertThat(choice.at("/message/content").asText()).isEqualTo("Paris is the capital.");
      assertThat(choice.at("/message/refusal").isNull()).isTrue();
      assertThat(choice.at("/message/tool_calls").isMissingNode()).isTrue();
      assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
      // estimate: the words of both messages ("You are terse." + "Capital of France?"), and of the answer
      assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(6);
      assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(4);
      assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(10);
      assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    }
  }

  @Test
  void blockingAnswerHasTheFieldsOfARecordedOpenAiAnswer() throws IOException {
    JsonNode recorded = MAPPER.readTree(conformance("response-text.json"));

    JsonNode fake = client.chat(chatBody("gpt-4o-mini", "Hi"));

    assertThat(fieldPaths(fake)).isEqualTo(fieldPaths(recorded));
  }

  @Test
  void streamingCallSendsChunksEndingWithDone() throws IOException {
    server.enqueue(FakeReply.text("I'm unable to help."));

    List<String> data;
    try (Response response = client.post(streamBody("gpt-4o", "Help?", false).toString())) {
      assertThat(response.header("Content-Type")).startsWith("text/event-stream");
      assertThat(response.header("x-request-id")).isEqualTo("req_fake_1");
      data = RawOpenAiClient.readData(response.body().source(), new ArrayList<>());
    }

    assertThat(data).last().isEqualTo("[DONE]");
    List<JsonNode> chunks = chunks(data);
    assertThat(chunks).allSatisfy(chunk -> {
      assertThat(chunk.get("id").asText()).isEqualTo("chatcmpl-fake-1");
      assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.get("model").asText()).isEqualTo("gpt-4o");
      assertThat(chunk.get("choices")).hasSize(1);
      assertThat(chunk.has("usage")).isFalse();
    });
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks.get(0).at("/choices/0/delta/content").asText()).isEmpty();
    List<String> pieces = new ArrayList<>();
    for (JsonNode chunk : chunks.subList(1, chunks.size() - 1)) {
      pieces.add(chunk.at("/choices/0/delta/content").asText());
      assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue();
    }
    assertThat(pieces).containsExactly("I'm", " unable", " to", " help.");
    JsonNode last = chunks.get(chunks.size() - 1);
    assertThat(last.at("/choices/0/delta").isEmpty()).isTrue();
    assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void streamingCallWithIncludeUsageEndsWithAUsageChunkWithoutChoices() throws IOException {
    server.enqueue(FakeReply.builder().text("Two words").usage(14, 2).build());

    List<String> data = client.streamData(streamBody("gpt-4o", "Hi", true));

    assertThat(data).last().isEqualTo("[DONE]");
    List<JsonNode> chunks = chunks(data);
    JsonNode usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.get("choices")).isEmpty();
    assertThat(usageChunk.at("/usage/prompt_tokens").asInt()).isEqualTo(14);
    assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(2);
    assertThat(usageChunk.at("/usage/total_tokens").asInt()).isEqualTo(16);
    assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(chunk -> chunk.has("usage"));
    assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void streamedChunksHaveTheFieldsOfRecordedOpenAiChunks() throws IOException {
    List<JsonNode> recorded = chunks(RawOpenAiClient.readData(
        new okio.Buffer().writeUtf8(conformance("stream-text-include-usage.sse")), new ArrayList<>()));
    List<JsonNode> fake = chunks(client.streamData(streamBody("gpt-4o", "Hi there", true)));

    assertThat(fieldPaths(fake.get(0))).isEqualTo(fieldPaths(recorded.get(0)));
    assertThat(fieldPaths(fake.get(1))).isEqualTo(fieldPaths(recorded.get(1)));
    assertThat(fieldPaths(fake.get(fake.size() - 2))).isEqualTo(fieldPaths(recorded.get(recorded.size() - 2)));
    assertThat(fieldPaths(fake.get(fake.size() - 1)).keySet())
        .containsAll(fieldPaths(recorded.get(recorded.size() - 1)).keySet());
  }

  @Test
  void streamedToolCallFragmentsReassembleToTheArguments() throws IOException {
    String weather = "{\"city\": \"Edinburgh\", \"country\": \"GB\", \"units\": \"c\"}";
    String stock = "{\"ticker\": \"AAPL\", \"exchange\": \"NASDAQ\"}";
    server.enqueue(FakeReply.toolCalls(
        new FakeToolCall("call_weather", "GetWeatherArgs", weather),
        FakeToolCall.of("get_stock_price", stock)));

    List<JsonNode> chunks = chunks(client.streamData(streamBody("gpt-4o", "Weather and AAPL?", false)));

    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks.get(0).at("/choices/0/delta/content").isNull()).isTrue();
    Map<Integer, StringBuilder> arguments = new TreeMap<>();
    Map<Integer, JsonNode> firstFragments = new TreeMap<>();
    int fragmentCount = 0;
    for (JsonNode chunk : chunks) {
      for (JsonNode fragment : chunk.at("/choices/0/delta/tool_calls")) {
        fragmentCount++;
        int index = fragment.get("index").asInt();
        if (!firstFragments.containsKey(index)) {
          firstFragments.put(index, fragment);
          assertThat(fragment.at("/function/arguments").asText()).isEmpty();
        } else {
          assertThat(fragment.has("id")).isFalse();
          assertThat(fragment.at("/function/name").isMissingNode()).isTrue();
        }
        arguments.computeIfAbsent(index, i -> new StringBuilder())
            .append(fragment.at("/function/arguments").asText());
      }
    }
    assertThat(fragmentCount).isGreaterThan(4);
    assertThat(firstFragments.get(0).get("id").asText()).isEqualTo("call_weather");
    assertThat(firstFragments.get(0).get("type").asText()).isEqualTo("function");
    assertThat(firstFragments.get(0).at("/function/name").asText()).isEqualTo("GetWeatherArgs");
    assertThat(firstFragments.get(1).get("id").asText()).isEqualTo("call_fake_1_1");
    assertThat(firstFragments.get(1).at("/function/name").asText()).isEqualTo("get_stock_price");
    assertThat(arguments.get(0).toString()).isEqualTo(weather);
    assertThat(arguments.get(1).toString()).isEqualTo(stock);
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void blockingToolCallsCarryIdsNamesAndArguments() {
    server.enqueue(FakeReply.toolCall("get_weather", "{\"city\":\"Paris\"}"));

    JsonNode body = client.chat(chatBody("gpt-4o", "Weather?"));

    JsonNode message = body.at("/choices/0/message");
    assertThat(message.get("content").isNull()).isTrue();
    assertThat(message.get("tool_calls")).hasSize(1);
    assertThat(message.at("/tool_calls/0/id").asText()).isEqualTo("call_fake_1_0");
    assertThat(message.at("/tool_calls/0/type").asText()).isEqualTo("function");
    assertThat(message.at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(message.at("/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void textAndToolCallsTogetherStreamTextFirst() throws IOException {
    server.enqueue(FakeReply.builder().text("Checking.").toolCall("lookup", "{}").build());

    List<JsonNode> chunks = chunks(client.streamData(streamBody("gpt-4o", "Hi", false)));

    assertThat(chunks.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Checking.");
    assertThat(chunks.get(2).at("/choices/0/delta/tool_calls/0/function/name").asText()).isEqualTo("lookup");
  }

  @Test
  void scriptedRepliesComeInOrderThenTheDefaultEcho() {
    server.enqueue(FakeReply.text("first"), FakeReply.text("second"));
    assertThat(server.pendingReplies()).isEqualTo(2);

    assertThat(client.ask("one")).isEqualTo("first");
    assertThat(client.ask("two")).isEqualTo("second");
    assertThat(client.ask("three")).isEqualTo("Hello from FakeLlmServer. You said: three");
    assertThat(server.pendingReplies()).isZero();
  }

  @Test
  void defaultReplyIsComputedFromTheRequest() {
    try (FakeLlmServer custom = FakeLlmServer.builder()
            .defaultReply(request -> FakeReply.text("You asked " + request.model()))
            .start();
        RawOpenAiClient customClient = new RawOpenAiClient(custom)) {
      assertThat(customClient.ask("anything")).isEqualTo("You asked gpt-4o-mini");
    }
  }

  @Test
  void aReplyWithoutContentTakesTheDefaultReplysText() {
    try (FakeLlmServer custom = FakeLlmServer.builder()
            .defaultReply(request -> FakeReply.builder().text("default text").finishReason("length").build())
            .start();
        RawOpenAiClient customClient = new RawOpenAiClient(custom)) {
      custom.enqueue(FakeReply.builder().header("x-scripted", "yes").build());

      JsonNode body = customClient.chat(chatBody("gpt-4o", "Hi"));

      assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("default text");
      assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }
  }

  @Test
  void echoSaysHelloWithoutAUserMessage() {
    ObjectNode body = MAPPER.createObjectNode().put("model", "m");
    body.putArray("messages").addObject().put("role", "system").put("content", "Be brief.");

    assertThat(client.chat(body).at("/choices/0/message/content").asText())
        .isEqualTo(FakeReply.DEFAULT_ECHO_WITHOUT_USER_MESSAGE);
  }

  @Test
  void echoReadsTextPartsOfTheLastUserMessage() {
    ObjectNode body = MAPPER.createObjectNode().put("model", "m");
    var parts = body.putArray("messages").addObject().put("role", "user").putArray("content");
    parts.addObject().put("type", "text").put("text", "Look at ");
    parts.addObject().put("type", "image_url").putObject("image_url").put("url", "https://example.invalid/a.png");
    parts.addObject().put("type", "text").put("text", "this");

    assertThat(client.chat(body).at("/choices/0/message/content").asText())
        .isEqualTo(FakeReply.DEFAULT_ECHO_PREFIX + "Look at this");
  }

  @Test
  void recordsWhatWasSent() throws IOException {
    client.streamData(streamBody("gpt-4o-mini", "Record me", true));

    CapturedRequest sent = server.takeRequest();
    assertThat(sent.sequence()).isEqualTo(1);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test");
    assertThat(sent.headers()).containsKey("authorization");
    assertThat(sent.model()).isEqualTo("gpt-4o-mini");
    assertThat(sent.stream()).isTrue();
    assertThat(sent.includeUsage()).isTrue();
    assertThat(sent.isChatCompletion()).isTrue();
    assertThat(sent.lastUserMessage()).isEqualTo("Record me");
    assertThat(sent.json().at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(MAPPER.readTree(sent.body())).isEqualTo(sent.json());
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.requests()).containsExactly(sent);
  }

  @Test
  void recordedJsonCannotBeChangedByATest() {
    client.ask("Hi");
    CapturedRequest sent = server.takeRequest();

    ((ObjectNode) sent.json()).put("model", "changed");

    assertThat(sent.model()).isEqualTo("gpt-4o-mini");
    assertThat(sent.json().get("model").asText()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void takeRequestConsumesWhileRequestsKeepsTheHistory() {
    client.ask("a");
    client.ask("b");

    assertThat(server.takeRequest().lastUserMessage()).isEqualTo("a");
    assertThat(server.takeRequest().lastUserMessage()).isEqualTo("b");
    assertThat(server.requests()).extracting(CapturedRequest::lastUserMessage).containsExactly("a", "b");
    assertThatThrownBy(() -> server.takeRequest(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no request");
  }

  @Test
  void answersWithTheRequestsModelOrTheDefaultModel() {
    assertThat(client.chat(chatBody("my-model", "Hi")).get("model").asText()).isEqualTo("my-model");

    ObjectNode withoutModel = chatBody("x", "Hi");
    withoutModel.remove("model");
    assertThat(client.chat(withoutModel).get("model").asText()).isEqualTo(FakeLlmServer.DEFAULT_MODEL);
  }

  @Test
  void listsTheFakeModel() throws IOException {
    try (Response response = client.get("/models")) {
      JsonNode body = MAPPER.readTree(response.body().string());
      assertThat(response.code()).isEqualTo(200);
      assertThat(body.get("object").asText()).isEqualTo("list");
      assertThat(body.at("/data/0/id").asText()).isEqualTo(FakeLlmServer.DEFAULT_MODEL);
      assertThat(body.at("/data/0/object").asText()).isEqualTo("model");
    }
  }

  @Test
  void unknownPathGetsOpenAisNotFoundAndTakesNoScriptedReply() throws IOException {
    server.enqueue(FakeReply.text("kept"));

    try (Response response = client.get("/embeddings")) {
      assertThat(response.code()).isEqualTo(404);
      assertThat(MAPPER.readTree(response.body().string()).at("/error/message").asText())
          .isEqualTo("Invalid URL (GET /v1/embeddings)");
    }
    assertThat(server.pendingReplies()).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void bodyThatIsNotJsonGetsA400() throws IOException {
    try (Response response = client.post("not json")) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(MAPPER.readTree(response.body().string()).at("/error/type").asText())
          .isEqualTo("invalid_request_error");
    }
    assertThat(server.takeRequest().json().isMissingNode()).isTrue();
  }

  @Test
  void scriptedUsageAndFinishReasonAreSentInBothModes() throws IOException {
    FakeReply reply = FakeReply.builder()
        .text("cut")
        .usage(new FakeUsage(100, 20, 80, 5))
        .finishReason("length")
        .build();
    server.enqueue(reply, reply);

    JsonNode blocking = client.chat(chatBody("m", "Hi"));
    List<JsonNode> streamed = chunks(client.streamData(streamBody("m", "Hi", true)));

    assertThat(blocking.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(blocking.at("/usage/prompt_tokens").asInt()).isEqualTo(100);
    assertThat(blocking.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(80);
    assertThat(blocking.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(5);
    JsonNode usage = streamed.get(streamed.size() - 1).get("usage");
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(20);
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(80);
    assertThat(streamed.get(streamed.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void splitterDecidesTheStreamChunks() throws IOException {
    server.enqueue(FakeReply.builder().text("abcdefg").splitter(TextSplitter.fixedLength(3)).build());

    List<JsonNode> chunks = chunks(client.streamData(streamBody("m", "Hi", false)));

    assertThat(chunks.subList(1, chunks.size() - 1))
        .extracting(chunk -> chunk.at("/choices/0/delta/content").asText())
        .containsExactly("abc", "def", "g");
  }

  @Test
  void aChunkDelayStillDeliversEveryChunk() throws IOException {
    server.enqueue(FakeReply.builder().text("one two three").chunkDelay(Duration.ofMillis(5)).build());

    List<String> data = client.streamData(streamBody("m", "Hi", false));

    assertThat(data).hasSize(6).last().isEqualTo("[DONE]");
  }

  @Test
  void keepsTheConnectionReusableAfterAStream() throws IOException {
    client.streamData(streamBody("m", "first", false));
    client.streamData(streamBody("m", "second", false));

    assertThat(client.ask("third")).endsWith("third");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void createdComesFromTheClock() {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    try (FakeLlmServer fixed = FakeLlmServer.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).start();
        RawOpenAiClient fixedClient = new RawOpenAiClient(fixed)) {
      assertThat(fixedClient.chat(chatBody("m", "Hi")).get("created").asLong()).isEqualTo(now.getEpochSecond());
    }
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(server.model()).isEqualTo(FakeLlmServer.DEFAULT_MODEL).isEqualTo("fake-model");
    assertThat(FakeLlmServer.DEFAULT_CLOCK).isEqualTo(Clock.systemUTC());
    assertThat(FakeLlmServer.DEFAULT_RECORD_LIMIT).isEqualTo(10_000);
    assertThat(FakeLlmServer.DEFAULT_TAKE_REQUEST_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
    assertThat(client.ask("ping")).isEqualTo("Hello from FakeLlmServer. You said: ping");
    CapturedRequest request = server.takeRequest();
    assertThat(FakeLlmServer.DEFAULT_REPLY.apply(request).text())
        .isEqualTo("Hello from FakeLlmServer. You said: ping");
  }

  @Test
  void keepsOnlyTheNewestRequestsBeyondTheRecordLimit() {
    try (FakeLlmServer limited = FakeLlmServer.builder().recordLimit(2).start();
        RawOpenAiClient limitedClient = new RawOpenAiClient(limited)) {
      limitedClient.ask("a");
      limitedClient.ask("b");
      limitedClient.ask("c");

      assertThat(limited.requestCount()).isEqualTo(3);
      assertThat(limited.requests()).extracting(CapturedRequest::lastUserMessage).containsExactly("b", "c");
      assertThat(limited.takeRequest().lastUserMessage()).isEqualTo("b");
    }
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> FakeLlmServer.builder().model(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeLlmServer.builder().recordLimit(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeIsIdempotent() {
    server.close();
    server.close();
  }

  private static String conformance(String file) throws IOException {
    return Files.readString(Path.of(System.getProperty("conformance.dir"), "openai-chat", file));
  }

  /** Every field path of a JSON tree with the node type found there (arrays: their first element). */
  private static Map<String, String> fieldPaths(JsonNode node) {
    Map<String, String> paths = new TreeMap<>();
    collect("", node, paths);
    return paths;
  }

  private static void collect(String path, JsonNode node, Map<String, String> paths) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = path + "/" + field.getKey();
        paths.put(child, field.getValue().isNull() ? "null-or-value" : field.getValue().getNodeType().name());
        collect(child, field.getValue(), paths);
      }
    } else if (node.isArray() && !node.isEmpty()) {
      collect(path + "/0", node.get(0), paths);
    }
  }
}

package dev.llmgateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.provider.ConformanceFiles;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recording in {@code conformance/gemini} through {@link GeminiChatProvider} against a
 * MockWebServer, comparing what the adapter returns with what {@link GeminiRecording} reads from the
 * same file, plus literal spot checks of each recording.
 */
class GeminiConformanceTest {
  /** The key the provider is built with; the recorded 400 body's DebugInfo happens to echo it. */
  private static final String KEY = "key1234";
  private static final String MODEL = "gemini-2.0-flash";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MockWebServer server;
  private GeminiChatProvider provider;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    provider = GeminiChatProvider.builder()
        .baseUrl(server.url("/v1beta").toString())
        .apiKey(Secret.of(KEY))
        .build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  static Stream<Path> recordings() {
    List<Path> files = ConformanceFiles.files("gemini", ".json", ".jsonl", ".sse");
    assertThat(files).hasSizeGreaterThanOrEqualTo(13);
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordings")
  void everyRecordingReplaysAsTheRecordingSays(Path file) {
    String name = file.getFileName().toString();
    GeminiRecording rec = name.startsWith("error-") ? null : GeminiRecording.read(file);
    if (name.startsWith("error-")) {
      int status = Integer.parseInt(name.split("-")[1]);
      LlmException blocking = errorOfChat(status, ConformanceFiles.bytes(file));
      LlmException streaming = errorOfStream(status, ConformanceFiles.bytes(file));
      assertThat(streaming).isExactlyInstanceOf(blocking.getClass());
      for (LlmException e : List.of(blocking, streaming)) {
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.provider()).isEqualTo("gemini");
        assertThat(e.model()).isEqualTo(MODEL);
        assertNoKey(e);
      }
    } else if (name.startsWith("response-")) {
      server.enqueue(json(200, ConformanceFiles.bytes(file)));
      assertMatches(provider.chat(request(), CallContext.standalone(false)), rec);
    } else if (name.startsWith("stream-")) {
      server.enqueue(sse(ConformanceFiles.asSse(file, false)));
      ChatStream stream = provider.stream(request(), CallContext.standalone(true));
      if (rec.blockReason() != null) {
        assertThatThrownBy(stream::collect).isInstanceOf(ContentFilteredException.class)
            .hasMessageContaining(rec.blockReason())
            .satisfies(e -> assertNoKey((Throwable) e));
      } else if (name.contains("error-mid-stream")) {
        List<ChatChunk> before = new ArrayList<>();
        LlmException e = catchThrowableOfType(LlmException.class, () -> {
          for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
            before.add(c);
          }
        });
        assertThat(e).isNotNull();
        assertNoKey(e);
        assertThat(texts(before)).isEqualTo(rec.text());
      } else {
        assertMatches(stream.collect(), rec);
      }
    } else {
      fail("a recording this test does not know how to replay: " + name);
    }
  }

  // --- literal spot checks, one per recording --------------------------------------------------

  @Test
  void streamedTextArrivesInOrderWithUsageAndStop() {
    server.enqueue(sse(ConformanceFiles.asSse(ConformanceFiles.file("gemini", "stream-text.sse"),
        false)));
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(request(), CallContext.standalone(true))) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }
    assertThat(chunks).containsExactly(
        new ChatChunk.Start(null, "gemini-2.0-flash", "gemini", null),
        new ChatChunk.TextDelta("The"),
        new ChatChunk.UsageUpdate(Usage.of(7, 0)),
        new ChatChunk.TextDelta(" capital of Wyoming"),
        new ChatChunk.TextDelta(" is **Cheyenne**.\n"),
        new ChatChunk.UsageUpdate(Usage.of(7, 10)),
        new ChatChunk.Finish(FinishReason.STOP, "STOP"));
  }

  @Test
  void blockingTextAnswerIsRead() {
    ChatResponse r = chatWith("response-text.json");
    assertThat(r.text()).isEqualTo("Google's headquarters, also known as the Googleplex, is located in"
        + " **Mountain View, California**.\n");
    assertThat(r.usage()).isEqualTo(Usage.of(7, 22));
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.model()).isEqualTo("gemini-2.0-flash");
    assertThat(r.provider()).isEqualTo("gemini");
    assertThat(r.id()).isNull();
  }

  @Test
  void parallelFunctionCallsGetStableIdsAndToolCallsFinish() {
    ChatResponse r = chatWith("response-parallel-function-calls-vertex.json");
    assertThat(r.toolCalls()).extracting(ContentPart.ToolCall::id)
        .containsExactly("call_0", "call_1", "call_2");
    assertThat(r.toolCalls()).extracting(ContentPart.ToolCall::name).containsOnly("sum");
    assertThat(r.toolCalls()).extracting(c -> json(c.arguments())).containsExactly(
        json("{\"y\":1,\"x\":2}"), json("{\"y\":3,\"x\":4}"), json("{\"y\":5,\"x\":6}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.rawFinishReason()).isEqualTo("STOP");
    assertThat(r.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void safetyFinishKeepsThePartialTextAndReportsContentFilter() {
    ChatResponse r = chatWith("response-finish-reason-safety.json");
    assertThat(r.text()).isEqualTo("Safety error incoming in 5, 4, 3, 2...");
    assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(r.rawFinishReason()).isEqualTo("SAFETY");
    assertThat(r.usage()).isEqualTo(Usage.of(7, 20));
  }

  @Test
  void blockedPromptIsContentFilteredWhenStreamed() {
    server.enqueue(sse(ConformanceFiles.bytes(
        ConformanceFiles.file("gemini", "stream-prompt-blocked-safety.sse"))));
    try (ChatStream stream = provider.stream(request(), CallContext.standalone(true))) {
      assertThatThrownBy(stream::next).isInstanceOf(ContentFilteredException.class)
          .hasMessageContaining("blockReason SAFETY");
    }
  }

  @Test
  void blockedPromptIsContentFilteredWhenBlocking() {
    String data = ConformanceFiles.text(ConformanceFiles.file("gemini",
        "stream-prompt-blocked-safety.sse")).strip().substring("data:".length());
    server.enqueue(json(200, data.getBytes(StandardCharsets.UTF_8)));
    ContentFilteredException e = catchThrowableOfType(ContentFilteredException.class,
        () -> provider.chat(request(), CallContext.standalone(false)));
    assertThat(e).hasMessageContaining("blocked the prompt").hasMessageContaining("SAFETY");
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void functionCallWithThoughtSignatureKeepsTheSignatureAfterTheCall() {
    ChatResponse r = streamWith("stream-function-call-thought-signature.jsonl");
    assertThat(r.message().content()).hasSize(2);
    assertThat(r.message().content().get(0)).isEqualTo(new ContentPart.ToolCall("call_0", "weather",
        "{\"location\":\"San Francisco\"}"));
    ContentPart.Thinking signature = (ContentPart.Thinking) r.message().content().get(1);
    assertThat(signature.text()).isEmpty();
    assertThat(signature.signature()).startsWith("EqUCCqICAb4+9vsh8Pd5").endsWith("kHj4=");
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(new Usage(29, 60, 0, 0, 45, false));
    assertThat(r.model()).isEqualTo("gemini-3-pro-preview");
    assertThat(r.id()).isEqualTo("b36LacjwM668nsEP2tbsgQQ");
  }

  @Test
  void thoughtSummariesBecomeThinkingBeforeTheCall() {
    ChatResponse r = streamWith("stream-thinking-function-call.sse");
    List<ContentPart> parts = r.message().content();
    assertThat(parts).hasSize(3);
    ContentPart.Thinking summary = (ContentPart.Thinking) parts.get(0);
    assertThat(summary.text()).startsWith("**Calculating the Days**")
        .contains("**Determining the Approach**");
    assertThat(summary.signature()).isNull();
    assertThat(parts.get(1)).isEqualTo(new ContentPart.ToolCall("call_0", "now", "{}"));
    assertThat(((ContentPart.Thinking) parts.get(2)).signature()).startsWith("CiIBVKhc7vB+");
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(new Usage(38, 174, 0, 0, 168, false));
    assertThat(r.id()).isEqualTo("48SHaPHpHKbG-8YPtZCawAk");
    assertThat(r.model()).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void vertexStreamedArgumentsAreAssembledIntoWholeCalls() {
    ChatResponse r = streamWith("stream-function-call-partial-args-vertex.jsonl");
    assertThat(r.toolCalls()).containsExactly(
        new ContentPart.ToolCall("call_0", "getWeather", "{\"location\":\"Boston\"}"),
        new ContentPart.ToolCall("call_1", "getWeather", "{\"location\":\"San Francisco\"}"));
    assertThat(r.message().content()).filteredOn(ContentPart.Thinking.class::isInstance).hasSize(1);
    assertThat(r.message().content().get(1)).isInstanceOf(ContentPart.Thinking.class);
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(new Usage(26, 155, 0, 0, 132, false));
    assertThat(r.id()).isEqualTo("dqHOab6xGLzWodAPkPuViA4");
  }

  @Test
  void bareErrorObjectMidStreamIsThrownAfterTheEarlierText() {
    server.enqueue(sse(ConformanceFiles.bytes(
        ConformanceFiles.file("gemini", "stream-error-mid-stream-vertex.sse"))));
    List<ChatChunk> chunks = new ArrayList<>();
    ProviderUnavailableException e;
    try (ChatStream stream = provider.stream(request(), CallContext.standalone(true))) {
      e = catchThrowableOfType(ProviderUnavailableException.class, () -> {
        for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
          chunks.add(c);
        }
      });
      assertThatThrownBy(stream::next).isSameAs(e); // the failure is remembered
    }
    assertThat(texts(chunks)).isEqualTo("First Second ");
    assertThat(chunks).noneMatch(ChatChunk.Finish.class::isInstance);
    assertThat(e).hasMessageContaining("mid-stream").hasMessageContaining("499 CANCELLED")
        .hasMessageContaining("The operation was cancelled.");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.httpStatus()).isEqualTo(200);
  }

  @Test
  void streamCutOffBeforeAnyFinishReasonIsInterrupted() {
    String full = ConformanceFiles.text(ConformanceFiles.file("gemini", "stream-text.sse"));
    String cut = full.substring(0, full.lastIndexOf("data:"));
    server.enqueue(sse(cut.getBytes(StandardCharsets.UTF_8)));
    List<ChatChunk> chunks = new ArrayList<>();
    StreamInterruptedException e;
    try (ChatStream stream = provider.stream(request(), CallContext.standalone(true))) {
      e = catchThrowableOfType(StreamInterruptedException.class, () -> {
        for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
          chunks.add(c);
        }
      });
    }
    assertThat(texts(chunks)).isEqualTo("The capital of Wyoming");
    assertThat(e).hasMessageContaining("ended without a finishReason").hasMessageContaining("2 events");
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void emptyStreamIsInterrupted() {
    server.enqueue(sse(new byte[0]));
    try (ChatStream stream = provider.stream(request(), CallContext.standalone(true))) {
      assertThatThrownBy(stream::next).isInstanceOf(StreamInterruptedException.class)
          .hasMessageContaining("no events arrived");
    }
  }

  @Test
  void errorEventInsideTheStreamIsMapped() {
    String body = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}\n\n"
        + "data: {\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
        + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
        + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"2s\"}]}}\n\n";
    server.enqueue(sse(body.getBytes(StandardCharsets.UTF_8)));
    try (ChatStream stream = provider.stream(request(), CallContext.standalone(true))) {
      assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
      assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hi"));
      RateLimitedException e = catchThrowableOfType(RateLimitedException.class, stream::next);
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void apiKeyInvalidIsAnAuthenticationErrorThatNamesTheReason() {
    LlmException e = errorOfChat(400, bytesOf("error-400-api-key-invalid.json"));
    assertThat(e).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("API_KEY_INVALID").hasMessageContaining("API key not valid");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void unknownModelIsAnInvalidRequestNamingTheModel() {
    LlmException e = errorOfChat(404, bytesOf("error-404-unknown-model.json"), "gemini-5.0-flash");
    assertThat(e).isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("model 'gemini-5.0-flash'").hasMessageContaining("NOT_FOUND");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void quotaWithRetryInfoIsRetryableAfterTheGivenDelay() {
    LlmException e = errorOfChat(429, bytesOf("error-429-retry-info.json"));
    assertThat(e).isInstanceOf(RateLimitedException.class).hasMessageContaining("RESOURCE_EXHAUSTED");
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(34_400));
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void zeroQuotaLimitIsARateLimitThatWillNotRecover() {
    LlmException e = errorOfChat(429, bytesOf("error-429-quota-exceeded-vertex.json"));
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.retryAfter()).isNull();
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void errorsOnAStreamAreThrownFromStream() {
    server.enqueue(json(429, bytesOf("error-429-retry-info.json")));
    assertThatThrownBy(() -> provider.stream(request(), CallContext.standalone(true)))
        .isInstanceOf(RateLimitedException.class);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void assertMatches(ChatResponse r, GeminiRecording rec) {
    assertThat(r.provider()).isEqualTo("gemini");
    assertThat(r.text()).isEqualTo(rec.text());
    assertThat(thinkingText(r)).isEqualTo(rec.thinking());
    assertThat(r.toolCalls()).extracting(ContentPart.ToolCall::name)
        .containsExactlyElementsOf(rec.callNames());
    for (int i = 0; i < rec.callArgs().size(); i++) {
      ContentPart.ToolCall call = r.toolCalls().get(i);
      assertThat(call.id()).isEqualTo("call_" + i);
      if (rec.callArgs().get(i) != null) {
        assertThat(json(call.arguments())).isEqualTo(rec.callArgs().get(i));
      }
    }
    assertThat(r.message().content()).filteredOn(ContentPart.Thinking.class::isInstance)
        .map(p -> ((ContentPart.Thinking) p).signature()).filteredOn(s -> s != null)
        .containsExactlyElementsOf(rec.signatures());
    assertThat(r.rawFinishReason()).isEqualTo(rec.finishReason());
    assertThat(r.finishReason()).isEqualTo(expectedFinish(rec));
    if (rec.promptTokens() < 0) {
      assertThat(r.usage()).isEqualTo(Usage.ZERO);
    } else {
      assertThat(r.usage().inputTokens()).isEqualTo(rec.promptTokens());
      assertThat(r.usage().outputTokens()).isEqualTo(rec.candidatesTokens() + rec.thoughtsTokens());
      assertThat(r.usage().reasoningTokens()).isEqualTo(rec.thoughtsTokens());
    }
    assertThat(r.id()).isEqualTo(rec.responseId());
    assertThat(r.model()).isEqualTo(rec.modelVersion() != null ? rec.modelVersion() : MODEL);
  }

  private static FinishReason expectedFinish(GeminiRecording rec) {
    return switch (rec.finishReason()) {
      case "STOP" -> rec.callNames().isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
          FinishReason.CONTENT_FILTER;
      case "MALFORMED_FUNCTION_CALL" -> FinishReason.ERROR;
      default -> FinishReason.OTHER;
    };
  }

  private static String thinkingText(ChatResponse r) {
    StringBuilder sb = new StringBuilder();
    for (ContentPart p : r.message().content()) {
      if (p instanceof ContentPart.Thinking t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  private static String texts(List<ChatChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    for (ChatChunk c : chunks) {
      if (c instanceof ChatChunk.TextDelta t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  private ChatResponse chatWith(String recording) {
    server.enqueue(json(200, bytesOf(recording)));
    return provider.chat(request(), CallContext.standalone(false));
  }

  private ChatResponse streamWith(String recording) {
    server.enqueue(sse(ConformanceFiles.asSse(ConformanceFiles.file("gemini", recording), false)));
    return provider.stream(request(), CallContext.standalone(true)).collect();
  }

  private LlmException errorOfChat(int status, byte[] body) {
    return errorOfChat(status, body, MODEL);
  }

  private LlmException errorOfChat(int status, byte[] body, String model) {
    server.enqueue(json(status, body));
    ChatRequest request = ChatRequest.builder().model(model).user("hi").build();
    return catchThrowableOfType(LlmException.class,
        () -> provider.chat(request, CallContext.standalone(false)));
  }

  private LlmException errorOfStream(int status, byte[] body) {
    server.enqueue(json(status, body));
    return catchThrowableOfType(LlmException.class,
        () -> provider.stream(request(), CallContext.standalone(true)));
  }

  static void assertNoKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
      assertThat(t.toString()).doesNotContain(KEY);
    }
  }

  private static ChatRequest request() {
    return ChatRequest.builder().model(MODEL).user("hi").build();
  }

  private static byte[] bytesOf(String recording) {
    return ConformanceFiles.bytes(ConformanceFiles.file("gemini", recording));
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static MockResponse sse(byte[] body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(new Buffer().write(body)).build();
  }

  static MockResponse json(int status, byte[] body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
        .body(new Buffer().write(body)).build();
  }
}

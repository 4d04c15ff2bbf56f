package dev.llmgateway.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamClosedException;
import dev.llmgateway.error.StreamInterruptedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BedrockStreamingTest {
  private static final long WAIT_SECONDS = 10;

  private final CountDownLatch teardown = new CountDownLatch(1);
  private MockWebServer server;
  private BedrockChatProvider provider;

  @BeforeEach
  void startServer() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = BedrockChatProvider.builder().baseUrl(server.url("/").toString())
        .apiKey(BedrockChatProviderTest.API_KEY).build();
  }

  @AfterEach
  void stop() {
    teardown.countDown();
    provider.close();
    server.close();
  }

  private static byte[] messageStart() {
    return BedrockTestSupport.event("messageStart", "{\"role\":\"assistant\",\"p\":\"abc\"}");
  }

  private static byte[] text(String t) {
    return BedrockTestSupport.event("contentBlockDelta",
        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + t + "\"},\"p\":\"abcdef\"}");
  }

  private static byte[] stop(String reason) {
    return BedrockTestSupport.event("messageStop", "{\"stopReason\":\"" + reason + "\"}");
  }

  private static byte[] metadata(int in, int out) {
    return BedrockTestSupport.event("metadata", "{\"usage\":{\"inputTokens\":" + in
        + ",\"outputTokens\":" + out + ",\"totalTokens\":" + (in + out) + "},\"metrics\":{\"latencyMs\":5}}");
  }

  private static byte[] concat(byte[]... parts) {
    Buffer b = new Buffer();
    for (byte[] p : parts) {
      b.write(p);
    }
    return b.readByteArray();
  }

  private void enqueue(byte[] body) {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/vnd.amazon.eventstream")
        .addHeader("x-amzn-RequestId", "rid-9")
        .body(new Buffer().write(body)).build());
  }

  private ChatStream open() {
    return provider.stream(ChatRequest.builder().model("amazon.nova-lite-v1:0").user("hi").build(),
        CallContext.standalone(true));
  }

  /** Pulls every chunk into {@code into} and returns the exception the stream ended with. */
  private static LlmException drainExpectingFailure(ChatStream stream, List<ChatChunk> into) {
    try (stream) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        into.add(c);
      }
    } catch (LlmException e) {
      return e;
    }
    throw new AssertionError("the stream ended normally: " + into);
  }

  @Test
  void emitsStartWithModelAndRequestIdFirst() {
    enqueue(concat(messageStart(), text("Hi"), stop("end_turn"), metadata(3, 1)));
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream s = open()) {
      s.forEach(chunks::add);
    }
    assertThat(chunks).containsExactly(
        new ChatChunk.Start(null, "amazon.nova-lite-v1:0", "bedrock", "rid-9"),
        new ChatChunk.TextDelta("Hi"),
        new ChatChunk.Finish(FinishReason.STOP, "end_turn"),
        new ChatChunk.UsageUpdate(Usage.of(3, 1)));
  }

  @Test
  void endOfBodyAfterMessageStopWithoutMetadataCompletesWithUnknownUsage() {
    enqueue(concat(messageStart(), text("Hi"), stop("max_tokens")));
    ChatResponse r = open().collect();
    assertThat(r.text()).isEqualTo("Hi");
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void cacheTokensAreAddedToInput() {
    enqueue(concat(messageStart(), text("Hi"), stop("end_turn"), BedrockTestSupport.event("metadata",
        "{\"usage\":{\"inputTokens\":4,\"outputTokens\":2,\"totalTokens\":106,"
            + "\"cacheReadInputTokens\":90,\"cacheWriteInputTokens\":10}}")));
    assertThat(open().collect().usage()).isEqualTo(new Usage(104, 2, 90, 10, 0, false));
  }

  @Test
  void endOfBodyBeforeMessageStopIsAnInterruption() {
    enqueue(concat(messageStart(), text("Hel"), text("lo")));
    List<ChatChunk> chunks = new ArrayList<>();
    LlmException e = drainExpectingFailure(open(), chunks);
    assertThat(e).isInstanceOf(StreamInterruptedException.class).hasMessageContaining("messageStop");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.requestId()).isEqualTo("rid-9");
    assertThat(chunks).contains(new ChatChunk.TextDelta("Hel"), new ChatChunk.TextDelta("lo"));
  }

  @Test
  void bodyCutInsideAFrameIsAnInterruption() {
    byte[] whole = concat(messageStart(), text("Hello"), stop("end_turn"), metadata(1, 1));
    byte[] cut = Arrays.copyOf(whole, whole.length - 10);
    List<ChatChunk> chunks = new ArrayList<>();
    LlmException e = drainExpectingFailure(enqueueAndOpen(cut), chunks);
    assertThat(e).isInstanceOf(StreamInterruptedException.class)
        .hasMessageContaining("middle of an event-stream frame");
    assertThat(chunks).contains(new ChatChunk.Finish(FinishReason.STOP, "end_turn"));
  }

  @Test
  void aCorruptedFrameIsAMalformedResponse() {
    byte[] bad = text("Hello");
    bad[bad.length - 9] ^= 0x04; // a payload byte: the message CRC no longer matches
    List<ChatChunk> chunks = new ArrayList<>();
    LlmException e = drainExpectingFailure(enqueueAndOpen(concat(messageStart(), text("ok"), bad,
        stop("end_turn"))), chunks);
    assertThat(e).isInstanceOf(MalformedResponseException.class).hasMessageContaining("CRC");
    assertThat(chunks).contains(new ChatChunk.TextDelta("ok"));
    assertThat(chunks).noneMatch(c -> c instanceof ChatChunk.Finish);
  }

  @Test
  void aCorruptedRecordingIsAMalformedResponse() {
    byte[] body = BedrockTestSupport.bytes(BedrockTestSupport.file("converse-stream-eventstream.bin"))
        .clone();
    body[0x2a0] ^= 0x01; // the last CRC byte of the messageStop frame
    LlmException e = drainExpectingFailure(enqueueAndOpen(body), new ArrayList<>());
    assertThat(e).isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void aPayloadThatIsNotJsonIsAMalformedResponse() {
    LlmException e = drainExpectingFailure(enqueueAndOpen(concat(messageStart(),
        BedrockTestSupport.event("contentBlockDelta", "not json"))), new ArrayList<>());
    assertThat(e).isInstanceOf(MalformedResponseException.class).hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("not json");
  }

  @Test
  void exceptionFramesAreThrownAsMappedExceptions() {
    Map<String, Class<? extends LlmException>> expected = new LinkedHashMap<>();
    expected.put("throttlingException", RateLimitedException.class);
    expected.put("modelStreamErrorException", ProviderUnavailableException.class);
    expected.put("internalServerException", ProviderUnavailableException.class);
    expected.put("serviceUnavailableException", ProviderUnavailableException.class);
    expected.put("modelTimeoutException", LlmTimeoutException.class);
    expected.put("validationException", InvalidRequestException.class);
    expected.forEach((type, exceptionClass) -> {
      List<ChatChunk> chunks = new ArrayList<>();
      LlmException e = drainExpectingFailure(enqueueAndOpen(concat(messageStart(), text("partial"),
          BedrockTestSupport.exception(type, "{\"message\":\"something about " + type + "\"}"))),
          chunks);
      assertThat(e).as(type).isExactlyInstanceOf(exceptionClass)
          .hasMessageContaining(type).hasMessageContaining("mid-stream");
      assertThat(e.provider()).isEqualTo("bedrock");
      assertThat(e.requestId()).isEqualTo("rid-9");
      assertThat(e.isRetryable()).as(type).isEqualTo(!type.equals("validationException"));
      assertThat(chunks).contains(new ChatChunk.TextDelta("partial"));
    });
  }

  @Test
  void aContextOverflowMidStreamIsContextLengthExceeded() {
    LlmException e = drainExpectingFailure(enqueueAndOpen(concat(messageStart(),
        BedrockTestSupport.exception("validationException",
            "{\"message\":\"Input is too long for requested model.\"}"))), new ArrayList<>());
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void anUnmodelledErrorMessageIsThrownToo() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(":message-type", "error");
    headers.put(":error-code", "InternalFailure");
    headers.put(":error-message", "An internal error occurred");
    LlmException e = drainExpectingFailure(enqueueAndOpen(concat(messageStart(),
        BedrockTestSupport.frame(headers, new byte[0]))), new ArrayList<>());
    assertThat(e).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("InternalFailure").hasMessageContaining("An internal error occurred");
  }

  @Test
  void unknownEventsAndBlockStartsWithoutToolUseAreIgnored() {
    enqueue(concat(messageStart(),
        BedrockTestSupport.event("somethingNew", "{\"x\":1}"),
        BedrockTestSupport.event("contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{}}"),
        text("Hi"),
        BedrockTestSupport.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
        stop("end_turn"), metadata(1, 1)));
    assertThat(open().collect().text()).isEqualTo("Hi");
  }

  @Test
  void redactedReasoningIsKept() {
    enqueue(concat(messageStart(),
        BedrockTestSupport.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":"
            + "{\"reasoningContent\":{\"redactedContent\":\"b3BhcXVl\"}}}"),
        text("Done"), stop("end_turn"), metadata(1, 1)));
    ChatResponse r = open().collect();
    assertThat(r.message().content().get(0))
        .isEqualTo(new dev.llmgateway.ContentPart.Thinking("", "b3BhcXVl", true));
    assertThat(r.text()).isEqualTo("Done");
  }

  @Test
  void anHttpErrorIsThrownFromStream() {
    server.enqueue(new MockResponse.Builder().code(429)
        .addHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/")
        .addHeader("x-amzn-RequestId", "rid-429").addHeader("content-type", "application/json")
        .body("{\"message\":\"Too many requests, please wait before trying again.\"}").build());
    assertThatThrownBy(this::open).isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("ThrottlingException")
        .satisfies(e -> assertThat(((LlmException) e).requestId()).isEqualTo("rid-429"));
  }

  @Test
  void closingMidStreamCancelsTheCall() throws Exception {
    CountDownLatch callerClosed = new CountDownLatch(1);
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/vnd.amazon.eventstream")
        .body(new MockResponseBody() {
          @Override
          public long getContentLength() {
            return -1;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            sink.write(concat(messageStart(), text("first")));
            sink.flush();
            try {
              callerClosed.await(WAIT_SECONDS, TimeUnit.SECONDS);
              teardown.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }).build());
    CallContext context = CallContext.standalone(true);
    ChatStream stream = provider.stream(ChatRequest.builder().model("m").user("hi").build(), context);
    assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("first"));
    stream.close();
    stream.close(); // idempotent
    callerClosed.countDown();
    assertThatThrownBy(stream::next).isInstanceOf(StreamClosedException.class);
  }

  @Test
  void cancellingTheCallEndsTheStreamWithCallCancelled() throws Exception {
    CountDownLatch pulled = new CountDownLatch(1);
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/vnd.amazon.eventstream")
        .body(new MockResponseBody() {
          @Override
          public long getContentLength() {
            return -1;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            sink.write(messageStart());
            sink.flush();
            try {
              teardown.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }).build());
    CallContext context = CallContext.standalone(true);
    ChatStream stream = provider.stream(ChatRequest.builder().model("m").user("hi").build(), context);
    assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
    Thread canceller = new Thread(() -> {
      try {
        pulled.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      context.cancel();
    });
    canceller.start();
    pulled.countDown();
    assertThatThrownBy(stream::next).isInstanceOf(CallCancelledException.class);
    canceller.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    stream.close();
  }

  private ChatStream enqueueAndOpen(byte[] body) {
    enqueue(body);
    return open();
  }
}

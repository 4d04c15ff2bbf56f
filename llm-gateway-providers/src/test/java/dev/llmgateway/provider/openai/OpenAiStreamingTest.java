package dev.llmgateway.provider.openai;

import static dev.llmgateway.provider.openai.OpenAiTestSupport.DONE;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.REQUEST_ID;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.finishChunk;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.simpleRequest;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.sse;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.textChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamClosedException;
import dev.llmgateway.error.StreamInterruptedException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiStreamingTest {
  private static final long WAIT_SECONDS = 10;

  private final OkHttpClient client = new OkHttpClient();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  /** Released at teardown so that no server thread stays blocked. */
  private final CountDownLatch teardown = new CountDownLatch(1);
  private MockWebServer server;
  private OpenAiChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = OpenAiTestSupport.providerFor(server, client).build();
  }

  @AfterEach
  void stop() {
    teardown.countDown();
    executor.shutdownNow();
    server.close();
  }

  /** A streamed body the test controls: {@code writer} runs on the server's thread. */
  private static MockResponse streamed(BodyWriter writer) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "text/event-stream")
        .addHeader("x-request-id", REQUEST_ID)
        .body(new MockResponseBody() {
          @Override
          public long getContentLength() {
            return -1;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            writer.write(sink);
          }
        })
        .build();
  }

  @FunctionalInterface
  interface BodyWriter {
    void write(BufferedSink sink) throws IOException;
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("test latch not released in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void chunksReachTheCallerAsTheyArrive() throws Exception {
    CountDownLatch callerGotFirstChunk = new CountDownLatch(1);
    AtomicBoolean restWritten = new AtomicBoolean();
    server.enqueue(streamed(sink -> {
      sink.writeUtf8(textChunk("Hello")).flush();
      await(callerGotFirstChunk);
      restWritten.set(true);
      sink.writeUtf8(textChunk(" world") + finishChunk("stop") + DONE).flush();
    }));
    try (ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true))) {
      assertThat(stream.next()).isEqualTo(new ChatChunk.Start("chatcmpl-1", "gpt-4o", "openai", REQUEST_ID));
      assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hello"));
      assertThat(restWritten).as("the server is still holding the rest back").isFalse();
      callerGotFirstChunk.countDown();
      assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta(" world"));
      assertThat(stream.next()).isEqualTo(new ChatChunk.Finish(FinishReason.STOP, "stop"));
      assertThat(stream.next()).isNull();
      assertThat(stream.next()).isNull();
    }
  }

  @Test
  void closingTheStreamEarlyClosesTheConnection() throws Exception {
    CountDownLatch callerClosed = new CountDownLatch(1);
    CountDownLatch serverSawClose = new CountDownLatch(1);
    server.enqueue(streamed(sink -> {
      sink.writeUtf8(textChunk("Hello")).flush();
      await(callerClosed);
      try {
        String filler = textChunk("x".repeat(8192));
        for (int i = 0; i < 10_000; i++) { // bounded: the client's close makes a write fail long before
          sink.writeUtf8(filler).flush();
        }
      } catch (IOException e) {
        serverSawClose.countDown();
        throw e;
      }
    }));
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hello"));
    stream.close();
    stream.close(); // idempotent
    callerClosed.countDown();
    assertThat(serverSawClose.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(stream::next).isInstanceOf(StreamClosedException.class);
  }

  @Test
  void closingFromAnotherThreadUnblocksAPendingNext() throws Exception {
    server.enqueue(streamed(sink -> {
      sink.writeUtf8(textChunk("Hello")).flush();
      await(teardown); // then stall: nothing more comes
    }));
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    stream.next();
    stream.next();
    CountDownLatch pulling = new CountDownLatch(1);
    Future<ChatChunk> blocked = executor.submit(() -> {
      pulling.countDown();
      return stream.next();
    });
    assertThat(pulling.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    executor.submit(stream::close).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThatThrownBy(() -> blocked.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(StreamClosedException.class);
  }

  @Test
  void cancellingTheContextFailsAStreamWithCallCancelled() throws Exception {
    server.enqueue(streamed(sink -> {
      sink.writeUtf8(textChunk("Hello")).flush();
      await(teardown);
    }));
    CallContext context = CallContext.standalone(true);
    ChatStream stream = provider.stream(simpleRequest(), context);
    stream.next();
    stream.next();
    Future<ChatChunk> blocked = executor.submit(stream::next);
    context.cancel();
    assertThatThrownBy(() -> blocked.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CallCancelledException.class);
    stream.close();
  }

  @Test
  void cancellingABlockingCallFromAnotherThreadEndsItWithCallCancelled() throws Exception {
    CountDownLatch requestArrived = new CountDownLatch(1);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requestArrived.countDown();
        teardown.await(WAIT_SECONDS, TimeUnit.SECONDS);
        return OpenAiTestSupport.json(200, OpenAiTestSupport.SIMPLE_COMPLETION);
      }
    });
    CallContext context = CallContext.standalone(false);
    Future<ChatResponse> call = executor.submit(() -> provider.chat(simpleRequest(), context));
    assertThat(requestArrived.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    executor.submit(context::cancel).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThatThrownBy(() -> call.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CallCancelledException.class);
  }

  @Test
  void anAlreadyCancelledContextFailsWithoutAnAnswer() {
    CallContext context = CallContext.standalone(false);
    context.cancel();
    server.enqueue(OpenAiTestSupport.json(200, OpenAiTestSupport.SIMPLE_COMPLETION));
    assertThatThrownBy(() -> provider.chat(simpleRequest(), context))
        .isInstanceOf(CallCancelledException.class);
  }

  @Test
  void theCallersDeadlineBoundsTheCall() throws Exception {
    CountDownLatch requestArrived = new CountDownLatch(1);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requestArrived.countDown();
        teardown.await(WAIT_SECONDS, TimeUnit.SECONDS);
        return OpenAiTestSupport.json(200, OpenAiTestSupport.SIMPLE_COMPLETION);
      }
    });
    CallContext context = CallContext.create(CallOptions.withTimeout(Duration.ofMillis(300)),
        ChatEventListener.NONE, false);
    assertThatThrownBy(() -> provider.chat(simpleRequest(), context))
        .isInstanceOf(LlmTimeoutException.class);
    assertThat(requestArrived.getCount()).isZero();
  }

  @Test
  void aStreamEndingWithoutFinishOrDoneIsInterrupted() {
    server.enqueue(sse(textChunk("Hel")));
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hel"));
    assertThatThrownBy(stream::next).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
      assertThat(e.getMessage()).contains("stream ended before");
      assertThat(e.provider()).isEqualTo("openai");
      assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    });
    // the failure sticks
    assertThatThrownBy(stream::next).isInstanceOf(StreamInterruptedException.class);
    stream.close();
  }

  @Test
  void aStreamCutInsideAnEventIsInterruptedNotMalformed() {
    String cut = textChunk("Hello") + "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"del";
    server.enqueue(sse(cut));
    assertThatThrownBy(() -> provider.stream(simpleRequest(), CallContext.standalone(true)).collect())
        .isInstanceOf(StreamInterruptedException.class);
  }

  @Test
  void anEmptyBodyIsInterrupted() {
    server.enqueue(sse(""));
    assertThatThrownBy(() -> provider.stream(simpleRequest(), CallContext.standalone(true)).collect())
        .isInstanceOf(StreamInterruptedException.class).hasMessageContaining("stream ended before");
  }

  @Test
  void aFinishedStreamWithoutDoneIsAccepted() {
    server.enqueue(sse(textChunk("Hi") + finishChunk("stop")));
    ChatResponse r = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(r.text()).isEqualTo("Hi");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void contentStreamedAsPartsIsText() {
    // Mistral's reasoning models and some compatible servers stream delta.content as a list of parts.
    String parts = "data: {\"id\":\"c1\",\"model\":\"magistral\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"hmm\"}]},"
        + "{\"type\":\"text\",\"text\":\"Hel\"}]},\"finish_reason\":null}]}\n\n";
    server.enqueue(sse(parts + textChunk("lo") + finishChunk("stop") + DONE));
    ChatResponse r = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(r.text()).isEqualTo("Hello");
  }

  @Test
  void aMidStreamErrorIsThrownAfterTheChunksBeforeIt() {
    server.enqueue(sse(textChunk("Hel") + "data: {\"error\":{\"message\":\"The server had an error while "
        + "processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
    ChatStream stream = provider.stream(simpleRequest(), CallContext.standalone(true));
    stream.next();
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hel"));
    assertThatThrownBy(stream::next).isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
      assertThat(e.getMessage()).contains("mid-stream", "server_error");
      assertThat(e.requestId()).isEqualTo(REQUEST_ID);
    });
    stream.close();
  }

  @Test
  void aMidStreamContextOverflowKeepsItsKind() {
    server.enqueue(sse("data: {\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\","
        + "\"code\":\"context_length_exceeded\"}}\n\n"));
    assertThatThrownBy(() -> provider.stream(simpleRequest(), CallContext.standalone(true)).collect())
        .isInstanceOf(ContextLengthExceededException.class);
  }

  @Test
  void anHttpErrorIsThrownFromStreamItself() {
    server.enqueue(OpenAiTestSupport.json(429, "{\"error\":{\"message\":\"Rate limit reached\","
        + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", "retry-after", "3"));
    assertThatThrownBy(() -> provider.stream(simpleRequest(), CallContext.standalone(true)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
          assertThat(e.isRetryable()).isTrue();
        });
  }

  @Test
  void mapsCompatibleServerExtras() {
    // Mistral-style whole tool call without index in the finishing chunk, usage without stream_options,
    // DeepSeek reasoning_content, and Groq x_groq.usage
    server.enqueue(sse("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"reasoning_content\":\"thinking\"}}]}\n\n"
        + "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
        + "[{\"id\":\"abc123XYZ\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
        + "\"finish_reason\":\"tool_calls\"}],\"x_groq\":{\"usage\":{\"prompt_tokens\":3,"
        + "\"completion_tokens\":4}}}\n\n" + DONE));
    ChatResponse r = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(r.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("abc123XYZ");
      assertThat(c.arguments()).isEqualTo("{\"a\":1}");
    });
    assertThat(r.message().content().get(0)).isEqualTo(new dev.llmgateway.ContentPart.Thinking("thinking", null, false));
    assertThat(r.usage()).isEqualTo(Usage.of(3, 4));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void readsTheFinalEventOfABodyWithoutTrailingBlankLineAndCrlf() {
    server.enqueue(sse((textChunk("Hi") + finishChunk("length")).replace("\n", "\r\n") + "data: [DONE]"));
    ChatResponse r = provider.stream(simpleRequest(), CallContext.standalone(true)).collect();
    assertThat(r.text()).isEqualTo("Hi");
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
  }
}

package dev.llmgateway.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.observe.CapturingLogger;
import dev.llmgateway.observe.LoggingChatEventListener;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway and the real OpenAI adapter together, against a loopback server: cancellation reaches the
 * socket, and no API key reaches an exception or a log line.
 */
class GatewayOverOpenAiTest {
  private static final String KEY = "sk-test-THIS-KEY-MUST-NEVER-LEAK-0123456789";
  private static final int WAIT_SECONDS = 10;

  private final CountDownLatch teardown = new CountDownLatch(1);
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    teardown.countDown();
    server.close();
  }

  private LlmGateway gateway(LoggingChatEventListener listener) {
    return LlmGateway.builder().discoverProviders(false).logging(false).addListener(listener)
        .provider(OpenAiChatProvider.builder().baseUrl(server.url("/v1").toString())
            .apiKey(Secret.of(KEY)).build())
        .build();
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("openai/gpt-4o-mini").user("hello").build();
  }

  /**
   * A body that starts, signals {@code started}, waits for {@code proceed}, then writes until the
   * client's disconnect makes a write fail, which it signals with {@code sawClose}.
   */
  private static MockResponse hangingBody(String contentType, String head, CountDownLatch started,
      CountDownLatch proceed, CountDownLatch sawClose) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", contentType)
        .body(new MockResponseBody() {
          @Override
          public long getContentLength() {
            return -1;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            sink.writeUtf8(head).flush();
            started.countDown();
            try {
              if (!proceed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return;
              }
              String filler = " ".repeat(8192);
              for (int i = 0; i < 10_000; i++) { // bounded; the disconnect fails a write long before
                sink.writeUtf8(filler).flush();
              }
            } catch (IOException e) {
              sawClose.countDown();
              throw e;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }).build();
  }

  @Test
  void cancellingTheFutureClosesTheConnection() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    CountDownLatch sawClose = new CountDownLatch(1);
    server.enqueue(hangingBody("application/json", "{\"id\":\"chatcmpl-1\",", started, cancelled, sawClose));
    try (LlmGateway gateway = gateway(new LoggingChatEventListener())) {
      CompletableFuture<ChatResponse> future = gateway.chatAsync(ask());
      assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      future.cancel(true);
      cancelled.countDown();
      assertThat(sawClose.await(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the server saw the client close the connection").isTrue();
      assertThat(future).isCancelled();
    }
  }

  @Test
  void closingAStreamEarlyClosesTheConnection() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch sawClose = new CountDownLatch(1);
    String firstEvent = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
    server.enqueue(hangingBody("text/event-stream", firstEvent, started, closed, sawClose));
    try (LlmGateway gateway = gateway(new LoggingChatEventListener())) {
      ChatStream stream = gateway.stream(ask());
      assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
      assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hi"));
      stream.close();
      closed.countDown();
      assertThat(sawClose.await(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the server saw the client close the connection").isTrue();
    }
  }

  @Test
  void theApiKeyAppearsInNoExceptionAndNoLogLine() {
    // OpenAI echoes (part of) a wrong key in its 401 message; this server echoes all of it.
    String body = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
        + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
          .addHeader("x-request-id", "req_401").body(body).build());
    }
    CapturingLogger capture = new CapturingLogger();
    try (LlmGateway gateway = gateway(new LoggingChatEventListener(capture.logger))) {
      assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOf(AuthenticationException.class)
          .satisfies(e -> assertNoKey((LlmException) e));
      assertThatThrownBy(() -> gateway.stream(ask())).isInstanceOf(AuthenticationException.class)
          .satisfies(e -> assertNoKey((LlmException) e));
      assertThat(gateway.toString()).doesNotContain(KEY);
    }
    assertThat(capture.lines).anyMatch(l -> l.contains("AuthenticationException"));
    assertThat(capture.lines).allSatisfy(line -> assertThat(line).doesNotContain("THIS-KEY-MUST-NEVER-LEAK"));
  }

  private static void assertNoKey(LlmException e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain("THIS-KEY-MUST-NEVER-LEAK");
    assertThat(e.getMessage()).contains("status=401").contains("requestId=req_401");
  }
}

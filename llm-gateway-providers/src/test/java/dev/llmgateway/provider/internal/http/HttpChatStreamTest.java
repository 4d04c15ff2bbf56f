package dev.llmgateway.provider.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.StreamClosedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.provider.internal.sse.SseEvent;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream base other adapters build on, exercised with a minimal SSE dialect. */
class HttpChatStreamTest {
  private final OkHttpClient client = new OkHttpClient();
  private MockWebServer server;

  /** Each event's data is text; an {@code end} event completes; {@code boom} fails decoding. */
  static final class TextStream extends SseChatStream {
    TextStream(Call call, Response response, CallContext context, ErrorContext errorContext) {
      super(call, response, context, errorContext);
    }

    @Override
    protected void onEvent(SseEvent event) {
      switch (event.event()) {
        case "end" -> complete();
        case "boom" -> throw new IllegalStateException("cannot decode");
        default -> emit(new ChatChunk.TextDelta(event.data()));
      }
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ChatStream open(String body) throws IOException {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(body).build());
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());
    Response response = call.execute();
    return new TextStream(call, response, CallContext.standalone(true),
        ErrorContext.of("fake", "m").withRequestId("req-1"));
  }

  @Test
  void emitsStartWithTheRequestIdThenTheChunksThenEnds() throws IOException {
    try (ChatStream stream = open("data: a\n\ndata: b\n\nevent: end\ndata: x\n\n")) {
      assertThat(stream.next()).isEqualTo(new ChatChunk.Start(null, null, "fake", "req-1"));
      assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("a"));
      assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("b"));
      assertThat(stream.next()).isNull();
      assertThat(stream.next()).isNull();
    }
  }

  @Test
  void anEndOfInputBeforeCompletionIsAnInterruption() throws IOException {
    ChatStream stream = open("data: a\n\n");
    stream.next();
    stream.next();
    assertThatThrownBy(stream::next).isInstanceOf(StreamInterruptedException.class)
        .hasMessageContaining("stream ended before fake said it was complete")
        .hasMessageContaining("requestId=req-1");
    stream.close();
  }

  @Test
  void aDecodingBugSurfacesAsMalformedResponse() throws IOException {
    ChatStream stream = open("event: boom\ndata: x\n\n");
    assertThatThrownBy(stream::next).isInstanceOf(MalformedResponseException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    stream.close();
  }

  @Test
  void closeIsIdempotentAndLaterPullsFail() throws IOException {
    ChatStream stream = open("data: a\n\nevent: end\ndata: x\n\n");
    stream.close();
    stream.close();
    assertThatThrownBy(stream::next).isInstanceOf(StreamClosedException.class);
  }
}

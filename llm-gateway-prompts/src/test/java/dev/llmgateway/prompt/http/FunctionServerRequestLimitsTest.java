package dev.llmgateway.prompt.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.prompt.function.PromptFunction;
import dev.llmgateway.prompt.http.SentimentFunction.Review;
import dev.llmgateway.prompt.http.SentimentFunction.Sentiment;
import dev.llmgateway.prompt.http.internal.JdkHttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real HTTP against a {@link FunctionServer}: bodies over the limit (larger than the 64 KiB the JDK
 * server drains by itself), and clients that stop sending. The client timeouts here only detect a hang
 * (a test would otherwise wait forever); nothing asserts how long anything took.
 */
class FunctionServerRequestLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration HANG = Duration.ofSeconds(30);
  private static final int LIMIT = 1024;
  /** How many times each refusal is tried: a lost 413 (a reset) happened about one time in three. */
  private static final int ATTEMPTS = 3;

  private final StubChatClient client = new StubChatClient();
  private final PromptFunction<Review, Sentiment> sentiment = SentimentFunction.create(client);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(HANG).build();

  private static byte[] review(int textLength) {
    return ("{\"text\":\"" + "a".repeat(textLength) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private HttpResponse<String> post(FunctionServer server, HttpRequest.BodyPublisher body)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/sentiment")).timeout(HANG)
        .header("Content-Type", "application/json").POST(body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postSmall(FunctionServer server) throws IOException, InterruptedException {
    return post(server, HttpRequest.BodyPublishers.ofString("{\"text\":\"fine\"}"));
  }

  private static HttpRequest.BodyPublisher chunked(byte[] body) {
    return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
  }

  private static void assertTooLarge(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("Connection")).hasValueSatisfying(
        value -> assertThat(value).isEqualToIgnoringCase("close"));
    assertThat(JSON.readTree(response.body()).get("type").asText())
        .isEqualTo("urn:llm-gateway:problem:payload-too-large");
  }

  /** Sends a request's head and the start of its body on a raw connection, which stays open. */
  private static Socket startRequest(FunctionServer server, long contentLength, String bodyStart)
      throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout((int) HANG.toMillis());
    socket.getOutputStream().write(("POST /functions/sentiment HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n" + bodyStart)
        .getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return socket;
  }

  /** The status line and headers of the answer on a raw connection. */
  private static String readHead(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    return head.toString();
  }

  @Test
  void bodiesOverTheLimitGetTheir413WithContentLengthOrChunked() throws Exception {
    try (FunctionServer server = FunctionEndpoint.builder().function(sentiment).maxRequestBytes(LIMIT).build()
        .serve(new InetSocketAddress("127.0.0.1", 0))) {
      for (int size : new int[] {200_000, 3_000_000}) {
        byte[] body = review(size);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
          assertTooLarge(post(server, HttpRequest.BodyPublishers.ofByteArray(body)));
          assertTooLarge(post(server, chunked(body)));
        }
      }
      assertThat(postSmall(server).statusCode()).isEqualTo(200);
    }
    assertThat(client.requests).hasSize(1);
  }

  @Test
  void aRefusedBodyDoesNotHoldTheOnlyServerThread() throws Exception {
    try (FunctionServer server = FunctionEndpoint.builder().function(sentiment).maxRequestBytes(LIMIT)
        .serverThreads(1).build().serve(new InetSocketAddress("127.0.0.1", 0))) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        assertTooLarge(post(server, HttpRequest.BodyPublishers.ofByteArray(review(500_000))));
        assertThat(postSmall(server).statusCode()).isEqualTo(200);
      }
    }
    assertThat(client.requests).hasSize(ATTEMPTS);
  }

  @Test
  void aClientThatDeclaresALargeBodyAndStopsGetsItsAnswerAndDoesNotHoldTheThread() throws Exception {
    try (FunctionServer server = FunctionEndpoint.builder().function(sentiment).serverThreads(1)
        .ioTimeout(Duration.ofMillis(500)).build().serve(new InetSocketAddress("127.0.0.1", 0));
        Socket stalled = startRequest(server, 5_000_000, "{")) {

      assertThat(readHead(stalled)).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
      assertThat(postSmall(server).statusCode()).as("served while the stalled connection is open")
          .isEqualTo(200);
    }
  }

  @Test
  void aClientThatStopsSendingItsBodyIsDisconnectedAndFreesTheThread() throws Exception {
    try (FunctionServer server = FunctionEndpoint.builder().function(sentiment).serverThreads(1)
        .ioTimeout(Duration.ofMillis(500)).build().serve(new InetSocketAddress("127.0.0.1", 0));
        Socket stalled = startRequest(server, 100, "{\"text\":")) {

      assertThat(postSmall(server).statusCode()).as("served while the stalled connection is open")
          .isEqualTo(200);
      assertThat(stalled.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
    }
    assertThat(client.requests).hasSize(1);
  }

  @Test
  void aBodyDeclaredBeyondWhatIsDiscardedIsAnsweredAtOnce() throws Exception {
    try (FunctionServer server = FunctionEndpoint.of(sentiment).serve(new InetSocketAddress("127.0.0.1", 0));
        Socket socket = startRequest(server, 99_999_999_999L, "")) {

      String head = readHead(socket);

      assertThat(99_999_999_999L).isGreaterThan(JdkHttpHandler.DISCARD_LIMIT);
      assertThat(head).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
    }
  }

  @Test
  void headAnswersLikeGetWithoutABody() throws Exception {
    try (FunctionServer server = FunctionEndpoint.of(sentiment).serve(new InetSocketAddress("127.0.0.1", 0))) {
      HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(server.uri()).timeout(HANG).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(server.uri()).timeout(HANG)
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length);
      assertThat(get.body()).isNotEmpty();
    }
  }
}

package dev.llmgateway.testkit;

import static dev.llmgateway.testkit.RawOpenAiClient.MAPPER;
import static dev.llmgateway.testkit.RawOpenAiClient.chatBody;
import static dev.llmgateway.testkit.RawOpenAiClient.streamBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FakeLlmServerFaultsTest {

  private final FakeLlmServer server = FakeLlmServer.start();
  private final RawOpenAiClient client = new RawOpenAiClient(server);

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void rateLimitedSends429WithRetryAfterHeadersAndOpenAisBody() throws IOException {
    server.enqueue(FakeReply.rateLimited(Duration.ofMillis(1500)));

    try (Response response = client.post(chatBody("gpt-4o", "Hi").toString())) {
      assertThat(response.code()).isEqualTo(429);
      assertThat(response.header("retry-after")).isEqualTo("2");
      assertThat(response.header("retry-after-ms")).isEqualTo("1500");
      assertThat(response.header("x-request-id")).isEqualTo("req_fake_1");
      assertThat(response.header("Content-Type")).startsWith("application/json");
      JsonNode error = MAPPER.readTree(response.body().string()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(error.get("type").asText()).isEqualTo("requests");
      assertThat(error.get("message").asText()).contains("Rate limit reached");
      assertThat(error.get("param").isNull()).isTrue();
    }
  }

  @Test
  void errorsAreSentToStreamingCallsAsPlainJson() throws IOException {
    server.enqueue(FakeReply.rateLimited(Duration.ofSeconds(1)));

    try (Response response = client.post(streamBody("gpt-4o", "Hi", true).toString())) {
      assertThat(response.code()).isEqualTo(429);
      assertThat(response.header("Content-Type")).startsWith("application/json");
    }
  }

  @ParameterizedTest
  @CsvSource({
      "500, server_error, The server had an error",
      "502, cf_bad_gateway, Bad gateway.",
      "503, server_error, overloaded"})
  void serverErrorsHaveOpenAisBodies(int status, String type, String message) throws IOException {
    server.enqueue(FakeReply.serverError(status));

    try (Response response = client.post(chatBody("gpt-4o", "Hi").toString())) {
      assertThat(response.code()).isEqualTo(status);
      JsonNode error = MAPPER.readTree(response.body().string()).get("error");
      assertThat(error.get("type").asText()).isEqualTo(type);
      assertThat(error.get("message").asText()).contains(message);
    }
  }

  @Test
  void serverErrorRejectsOtherStatuses() {
    assertThatThrownBy(() -> FakeReply.serverError(504))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FakeReply.error");
  }

  @ParameterizedTest
  @CsvSource({
      "400, context_length_exceeded",
      "401, invalid_api_key",
      "429, insufficient_quota"})
  void readyMadeClientErrorsHaveOpenAisCodes(int status, String code) throws IOException {
    server.enqueue(switch (code) {
      case "context_length_exceeded" -> FakeReply.contextLengthExceeded();
      case "invalid_api_key" -> FakeReply.invalidApiKey();
      default -> FakeReply.insufficientQuota();
    });

    try (Response response = client.post(chatBody("gpt-4o", "Hi").toString())) {
      assertThat(response.code()).isEqualTo(status);
      assertThat(MAPPER.readTree(response.body().string()).at("/error/code").asText()).isEqualTo(code);
    }
  }

  @Test
  void errorSendsTheGivenStatusBodyAndHeaders() throws IOException {
    server.enqueue(FakeReply.error(409, "{\"error\":{\"message\":\"busy\"}}").toBuilder()
        .header("x-should-retry", "true")
        .build());

    try (Response response = client.post(chatBody("gpt-4o", "Hi").toString())) {
      assertThat(response.code()).isEqualTo(409);
      assertThat(response.header("x-should-retry")).isEqualTo("true");
      assertThat(response.body().string()).isEqualTo("{\"error\":{\"message\":\"busy\"}}");
    }
  }

  @Test
  void invalidRequestCarriesTheMessage() throws IOException {
    server.enqueue(FakeReply.invalidRequest("temperature is out of range"));

    try (Response response = client.post(chatBody("gpt-4o", "Hi").toString())) {
      assertThat(response.code()).isEqualTo(400);
      JsonNode error = MAPPER.readTree(response.body().string()).get("error");
      assertThat(error.get("message").asText()).isEqualTo("temperature is out of range");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }
  }

  @Test
  void connectionResetFailsTheCallWithAnIoException() {
    server.enqueue(FakeReply.connectionReset());

    assertThatThrownBy(() -> client.post(chatBody("gpt-4o", "Hi").toString()).close())
        .isInstanceOf(IOException.class);
    assertThat(server.takeRequest().lastUserMessage()).isEqualTo("Hi");
    assertThat(client.ask("again")).endsWith("again");
  }

  @Test
  void connectionResetAlsoFailsAStreamingCall() {
    server.enqueue(FakeReply.connectionReset());

    assertThatThrownBy(() -> client.streamData(streamBody("gpt-4o", "Hi", true)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void midStreamDisconnectSendsFewerChunksAndNoDone() throws IOException {
    server.enqueue(FakeReply.builder().text("one two three four five six seven").disconnectAfterChunks(3).build());

    List<String> data = new ArrayList<>();
    IOException failure = null;
    try (Response response = client.post(streamBody("gpt-4o", "Hi", true).toString())) {
      assertThat(response.code()).isEqualTo(200);
      RawOpenAiClient.readData(response.body().source(), data);
    } catch (IOException e) {
      failure = e;
    }

    assertThat(failure).isNotNull();
    assertThat(data).hasSize(3).doesNotContain("[DONE]");
    List<JsonNode> chunks = RawOpenAiClient.chunks(data);
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks.get(1).at("/choices/0/delta/content").asText()).isEqualTo("one");
    assertThat(chunks.get(2).at("/choices/0/delta/content").asText()).isEqualTo(" two");
  }

  @Test
  void disconnectAfterZeroChunksSendsOnlyTheHeaders() {
    server.enqueue(FakeReply.disconnectAfterChunks(0));

    List<String> data = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (Response response = client.post(streamBody("gpt-4o", "Hi", false).toString())) {
        RawOpenAiClient.readData(response.body().source(), data);
      }
    }).isInstanceOf(IOException.class);
    assertThat(data).isEmpty();
  }

  @Test
  void disconnectOnABlockingCallCutsTheBody() {
    server.enqueue(FakeReply.disconnectAfterChunks(1));

    assertThatThrownBy(() -> {
      try (Response response = client.post(chatBody("gpt-4o", "Hi").toString())) {
        response.body().string();
      }
    }).isInstanceOf(IOException.class);
  }

  @Test
  void serverKeepsServingAfterADisconnect() throws IOException {
    server.enqueue(FakeReply.disconnectAfterChunks(2));
    try (Response response = client.post(streamBody("gpt-4o", "Hi", false).toString())) {
      RawOpenAiClient.readData(response.body().source(), new ArrayList<>());
    } catch (IOException expected) {
      // the scripted disconnect
    }

    assertThat(client.streamData(streamBody("gpt-4o", "Hi", false))).last().isEqualTo("[DONE]");
  }

  @Test
  void malformedJsonOnABlockingCallIsA200ThatDoesNotParse() throws IOException {
    server.enqueue(FakeReply.malformedJson());

    try (Response response = client.post(chatBody("gpt-4o", "Hi").toString())) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Type")).startsWith("application/json");
      String body = response.body().string();
      assertThat(body).startsWith("{");
      assertThatThrownBy(() -> MAPPER.readTree(body)).isInstanceOf(JsonProcessingException.class);
    }
  }

  @Test
  void malformedJsonInAStreamIsOneBrokenDataLine() throws IOException {
    server.enqueue(FakeReply.malformedJson());

    List<String> data = client.streamData(streamBody("gpt-4o", "Hi", false));

    assertThat(data).hasSize(3).last().isEqualTo("[DONE]");
    assertThat(MAPPER.readTree(data.get(0)).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThatThrownBy(() -> MAPPER.readTree(data.get(1))).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void slowFirstByteAnswersWithTheDefaultReply() {
    server.enqueue(FakeReply.slowFirstByte(Duration.ofMillis(20)));

    assertThat(client.ask("patience")).isEqualTo("Hello from FakeLlmServer. You said: patience");
  }

  @Test
  void faultsCombineWithScriptedText() throws IOException {
    server.enqueue(FakeReply.builder()
        .text("a b c d")
        .firstByteDelay(Duration.ofMillis(5))
        .chunkDelay(Duration.ofMillis(1))
        .disconnectAfterChunks(2)
        .build());

    List<String> data = new ArrayList<>();
    try (Response response = client.post(streamBody("gpt-4o", "Hi", false).toString())) {
      RawOpenAiClient.readData(response.body().source(), data);
    } catch (IOException expected) {
      // the scripted disconnect
    }

    assertThat(data).hasSize(2);
    assertThat(MAPPER.readTree(data.get(1)).at("/choices/0/delta/content").asText()).isEqualTo("a");
  }

  @Test
  void closingTheServerEndsAPendingDelayAtOnce() throws Exception {
    server.enqueue(FakeReply.slowFirstByte(Duration.ofHours(1)));
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> client.ask("waiting"));
    server.takeRequest(); // the call has reached the server and is waiting on its delay

    server.close();

    assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IOException.class);
  }

  @Test
  void closingTheServerEndsAPendingChunkDelay() throws Exception {
    server.enqueue(FakeReply.builder().text("never finished").chunkDelay(Duration.ofHours(1)).build());
    CompletableFuture<List<String>> call =
        CompletableFuture.supplyAsync(() -> {
          try {
            return client.streamData(streamBody("gpt-4o", "Hi", false));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    server.takeRequest();

    server.close();

    assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IOException.class);
  }

  @Test
  void aThrowingDefaultReplyBecomesA500NamingTheProblem() throws IOException {
    try (FakeLlmServer broken = FakeLlmServer.builder()
            .defaultReply(request -> {
              throw new IllegalStateException("no script for this");
            })
            .start();
        RawOpenAiClient brokenClient = new RawOpenAiClient(broken)) {
      try (Response response = brokenClient.post(chatBody("gpt-4o", "Hi").toString())) {
        assertThat(response.code()).isEqualTo(500);
        assertThat(response.body().string()).contains("no script for this");
      }
    }
  }
}

package dev.llmgateway.provider.gemini;

import static dev.llmgateway.provider.gemini.GeminiConformanceTest.assertNoKey;
import static dev.llmgateway.provider.gemini.GeminiConformanceTest.json;
import static dev.llmgateway.provider.gemini.GeminiConformanceTest.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.StreamClosedException;
import dev.llmgateway.provider.ConformanceFiles;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeminiChatProviderTest {
  private static final String KEY = "key1234";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MockWebServer server;
  private GeminiChatProvider provider;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    provider = GeminiChatProvider.builder()
        .baseUrl(server.url("/v1beta/").toString())
        .apiKey(Secret.of(KEY))
        .header("x-goog-user-project", "my-project")
        .build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(GeminiChatProvider.DEFAULT_PROVIDER_NAME).isEqualTo("gemini");
    assertThat(GeminiChatProvider.DEFAULT_BASE_URL)
        .isEqualTo("https://generativelanguage.googleapis.com/v1beta");
    assertThat(GeminiChatProvider.API_KEY_HEADER).isEqualTo("x-goog-api-key");
    try (GeminiChatProvider defaults = GeminiChatProvider.builder().build()) {
      assertThat(defaults.name()).isEqualTo(GeminiChatProvider.DEFAULT_PROVIDER_NAME);
      assertThat(defaults.baseUrl()).isEqualTo(GeminiChatProvider.DEFAULT_BASE_URL);
      assertThat(defaults.apiKeyCount()).isZero();
      assertThat(defaults.headers()).isEmpty();
      assertThat(defaults.capabilities()).isEqualTo(ProviderCapabilities.ALL);
      assertThat(defaults.httpClient().readTimeoutMillis())
          .isEqualTo(SharedClients.DEFAULT_READ_TIMEOUT.toMillis());
      assertThat(defaults.httpClient().retryOnConnectionFailure()).isFalse();
      assertThat(defaults.objectMapper()
          .isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();
      assertThat(defaults.endpoint("gemini-2.5-flash", false).toString()).isEqualTo(
          "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
      assertThat(defaults.endpoint("gemini-2.5-flash", true).toString()).isEqualTo(
          "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
              + ":streamGenerateContent?alt=sse");
    }
  }

  @Test
  void builderSettingsAreKept() {
    OkHttpClient client = new OkHttpClient();
    ObjectMapper mapper = new ObjectMapper();
    GeminiChatProvider p = GeminiChatProvider.builder().providerName("google")
        .baseUrl("https://proxy.example/v1beta///").apiKeys(List.of(Secret.of("a"), Secret.of("b")))
        .headers(Map.of("h", "v")).httpClient(client).objectMapper(mapper).build();
    assertThat(p.name()).isEqualTo("google");
    assertThat(p.baseUrl()).isEqualTo("https://proxy.example/v1beta");
    assertThat(p.apiKeyCount()).isEqualTo(2);
    assertThat(p.headers()).containsExactly(Map.entry("h", "v"));
    assertThat(p.httpClient()).isSameAs(client);
    assertThat(p.objectMapper()).isSameAs(mapper);
    assertThat(p.toString()).doesNotContain("Secret").contains("apiKeys=2");
    assertThatThrownBy(() -> GeminiChatProvider.builder().baseUrl("ftp://x").build())
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void sendsTheKeyInAHeaderAndNeverInTheUrl() throws Exception {
    server.enqueue(json(200, responseText()));
    provider.chat(request("gemini-2.0-flash"), CallContext.standalone(false));
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getMethod()).isEqualTo("POST");
    assertThat(recorded.getUrl().encodedPath())
        .isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
    assertThat(recorded.getUrl().querySize()).isZero();
    assertThat(recorded.getUrl().toString()).doesNotContain(KEY);
    assertThat(recorded.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(recorded.getHeaders().get("Authorization")).isNull();
    assertThat(recorded.getHeaders().get("x-goog-user-project")).isEqualTo("my-project");
    assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode body = MAPPER.readTree(recorded.getBody().utf8());
    assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("hi");
  }

  @Test
  void streamsFromStreamGenerateContentWithAltSse() throws Exception {
    server.enqueue(sse(ConformanceFiles.bytes(ConformanceFiles.file("gemini", "stream-text.sse"))));
    provider.stream(request("gemini-2.0-flash"), CallContext.standalone(true)).collect();
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getUrl().encodedPath())
        .isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
    assertThat(recorded.getUrl().queryParameter("alt")).isEqualTo("sse");
    assertThat(recorded.getUrl().queryParameter("key")).isNull();
    assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void modelNamesWithAResourcePathAreUsedAsIs() {
    assertThat(provider.endpoint("tunedModels/my-model-123", false).encodedPath())
        .isEqualTo("/v1beta/tunedModels/my-model-123:generateContent");
    assertThat(provider.endpoint("models/gemini-2.0-flash", false).encodedPath())
        .isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
    for (String bad : List.of("a b", "x?key=1", "m:generateContent", "../admin", "m#frag")) {
      assertThatThrownBy(() -> provider.chat(request(bad), CallContext.standalone(false))).as(bad)
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a valid");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void severalKeysAreUsedInTurn() throws Exception {
    GeminiChatProvider rotating = GeminiChatProvider.builder()
        .baseUrl(server.url("/v1beta").toString())
        .apiKeys(List.of(Secret.of("k1"), Secret.of("k2"))).build();
    for (int i = 0; i < 3; i++) {
      server.enqueue(json(200, responseText()));
      rotating.chat(request("m"), CallContext.standalone(false));
    }
    assertThat(List.of(server.takeRequest().getHeaders().get("x-goog-api-key"),
        server.takeRequest().getHeaders().get("x-goog-api-key"),
        server.takeRequest().getHeaders().get("x-goog-api-key")))
        .containsExactly("k1", "k2", "k1");
    rotating.close();
  }

  @Test
  void noKeyAppearsInErrorsEvenWhenTheProviderEchoesIt() {
    String body = "{\"error\":{\"code\":400,\"message\":\"API key " + KEY + " not valid.\","
        + "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
        + "\"type.googleapis.com/google.rpc.DebugInfo\",\"detail\":\"Invalid API key: " + KEY
        + "\"}]}}";
    server.enqueue(json(400, body.getBytes(StandardCharsets.UTF_8)));
    LlmException e = catchThrowableOfType(LlmException.class,
        () -> provider.chat(request("m"), CallContext.standalone(false)));
    assertThat(e).isInstanceOf(InvalidRequestException.class).hasMessageContaining("[redacted]");
    assertNoKey(e);
    assertThat(provider.toString()).doesNotContain(KEY);
  }

  @Test
  void streamedAnswerRoundTripsWithItsThoughtSignature() throws Exception {
    server.enqueue(sse(ConformanceFiles.bytes(
        ConformanceFiles.file("gemini", "stream-thinking-function-call.sse"))));
    ChatResponse first = provider.stream(request("gemini-2.5-flash"), CallContext.standalone(true))
        .collect();
    String signature = ((ContentPart.Thinking) first.message().content().get(2)).signature();

    server.enqueue(json(200, responseText()));
    ChatRequest followUp = ChatRequest.builder().model("gemini-2.5-flash")
        .user("How many days until New Year's Eve?")
        .message(first.message())
        .message(new Message(Role.TOOL, List.of(new ContentPart.ToolResult("call_0", null,
            "{\"now\":\"2026-11-26T10:00:00Z\"}", false))))
        .build();
    provider.chat(followUp, CallContext.standalone(false));

    server.takeRequest();
    JsonNode sent = MAPPER.readTree(server.takeRequest().getBody().utf8());
    JsonNode model = sent.at("/contents/1");
    assertThat(model.get("role").asText()).isEqualTo("model");
    assertThat(model.at("/parts/0/thought").asBoolean()).isTrue();
    assertThat(model.at("/parts/0/text").asText()).startsWith("**Calculating the Days**");
    assertThat(model.at("/parts/1/functionCall/name").asText()).isEqualTo("now");
    assertThat(model.at("/parts/1/thoughtSignature").asText()).isEqualTo(signature);
    assertThat(model.get("parts")).hasSize(2);
    assertThat(sent.at("/contents/2/parts/0/functionResponse")).isEqualTo(MAPPER.readTree(
        "{\"name\":\"now\",\"response\":{\"now\":\"2026-11-26T10:00:00Z\"}}"));
  }

  @Test
  void closingAStreamEarlyEndsItAndCancellingTheCallCancelsIt() {
    server.enqueue(sse(ConformanceFiles.bytes(ConformanceFiles.file("gemini", "stream-text.sse"))));
    ChatStream stream = provider.stream(request("m"), CallContext.standalone(true));
    assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
    stream.close();
    stream.close();
    assertThatThrownBy(stream::next).isInstanceOf(StreamClosedException.class);

    CallContext cancelled = CallContext.standalone(true);
    cancelled.cancel();
    assertThatThrownBy(() -> provider.stream(request("m"), cancelled))
        .isInstanceOf(CallCancelledException.class);
  }

  private static ChatRequest request(String model) {
    return ChatRequest.builder().model(model).user("hi").build();
  }

  private static byte[] responseText() {
    return ConformanceFiles.bytes(ConformanceFiles.file("gemini", "response-text.json"));
  }
}

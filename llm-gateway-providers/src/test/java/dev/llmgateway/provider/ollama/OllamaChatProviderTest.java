package dev.llmgateway.provider.ollama;

import static dev.llmgateway.provider.ollama.OllamaTestSupport.answer;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.doneLine;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.json;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.line;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.ndjson;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.parse;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaChatProviderTest {
  private static final String KEY = "ollama-cloud-key-THIS-MUST-NEVER-LEAK-0123456789";
  private static final String OTHER_KEY = "ollama-cloud-key-OTHER-9876543210";

  private MockWebServer server;
  private OllamaChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = OllamaChatProvider.builder().baseUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  // --- defaults and configuration

  @Test
  void builderDefaultsAreTheDocumentedValues() {
    SharedResources resources = new SharedResources();
    OllamaChatProvider p = OllamaChatProvider.builder().resources(resources).build();
    assertThat(p.name()).isEqualTo(OllamaChatProvider.DEFAULT_PROVIDER_NAME).isEqualTo("ollama");
    assertThat(p.baseUrl()).isEqualTo(OllamaChatProvider.DEFAULT_BASE_URL)
        .isEqualTo("http://localhost:11434");
    assertThat(p.keepAlive()).isEqualTo(OllamaChatProvider.DEFAULT_KEEP_ALIVE).isNull();
    assertThat(p.apiKeyCount()).isZero();
    assertThat(p.extraHeaderNames()).isEmpty();
    assertThat(p.objectMapper()).isSameAs(SharedClients.objectMapper(resources));
    OkHttpClient shared = SharedClients.httpClient(resources);
    assertThat(p.httpClient()).isSameAs(shared);
    assertThat(p.httpClient().retryOnConnectionFailure()).isFalse();
    assertThat(p.capabilities()).isEqualTo(OllamaChatProvider.CAPABILITIES)
        .isEqualTo(new dev.llmgateway.spi.ProviderCapabilities(true, true, true, true));
  }

  @Test
  void explicitClientIsUsedWithoutSilentRetriesAndExplicitMapperWins() {
    OkHttpClient client = new OkHttpClient();
    ObjectMapper mapper = new ObjectMapper();
    OllamaChatProvider p = OllamaChatProvider.builder().httpClient(client).objectMapper(mapper)
        .build();
    assertThat(client.retryOnConnectionFailure()).isTrue();
    assertThat(p.httpClient().retryOnConnectionFailure()).isFalse();
    assertThat(p.httpClient().connectionPool()).isSameAs(client.connectionPool());
    assertThat(p.httpClient().dispatcher()).isSameAs(client.dispatcher());
    assertThat(p.objectMapper()).isSameAs(mapper);
  }

  @Test
  void invalidSettingsFailWhenBuilt() {
    assertThatThrownBy(() -> OllamaChatProvider.builder().baseUrl("not a url").build())
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> OllamaChatProvider.builder().baseUrl(" "))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> OllamaChatProvider.builder().providerName(""))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void toStringNeverShowsKeysHeaderValuesOrUrlCredentials() {
    OllamaChatProvider p = OllamaChatProvider.builder()
        .baseUrl("https://user:url-password-secret@ollama.example.com/")
        .apiKey(KEY)
        .header("X-Proxy-Token", "proxy-secret-value")
        .build();
    assertThat(p.toString()).doesNotContain(KEY).doesNotContain("proxy-secret-value")
        .doesNotContain("url-password-secret").contains("apiKeys=1").contains("x-proxy-token");
    assertThat(p.baseUrl()).isEqualTo("https://ollama.example.com");
  }

  // --- what goes on the wire

  @Test
  void blockingCallPostsToApiChatWithStreamFalse() throws Exception {
    server.enqueue(json(200, answer("Hi!", "stop")));
    provider.chat(simple(), CallContext.standalone(false));
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/api/chat");
    assertThat(sent.getHeaders().get("content-type")).startsWith("application/json");
    assertThat(sent.getHeaders().get("accept")).isEqualTo("application/json");
    assertThat(sent.getHeaders().get("authorization")).isNull();
    JsonNode body = parse(sent.getBody().utf8());
    assertThat(body.get("stream").isBoolean()).isTrue();
    assertThat(body.get("stream").asBoolean()).isFalse();
    assertThat(body.get("model").asText()).isEqualTo("llama3.2");
    assertThat(body.has("keep_alive")).isFalse();
  }

  @Test
  void streamingCallSendsStreamTrueAndAcceptsNdjson() throws Exception {
    server.enqueue(ndjson(line("Hi") + doneLine("stop", 1, 1)));
    provider.stream(simple(), CallContext.standalone(true)).collect();
    RecordedRequest sent = server.takeRequest();
    assertThat(parse(sent.getBody().utf8()).get("stream").asBoolean()).isTrue();
    assertThat(sent.getHeaders().get("accept")).isEqualTo("application/x-ndjson");
  }

  @Test
  void baseUrlWithPathKeepsItAndKeepAliveIsSent() throws Exception {
    OllamaChatProvider p = OllamaChatProvider.builder()
        .baseUrl(server.url("/proxy/ollama/").toString())
        .keepAlive(Duration.ofMinutes(10))
        .build();
    server.enqueue(json(200, answer("Hi!", "stop")));
    p.chat(simple(), CallContext.standalone(false));
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/proxy/ollama/api/chat");
    assertThat(parse(sent.getBody().utf8()).get("keep_alive").asText()).isEqualTo("600s");
    p.close();
  }

  @Test
  void keysAreSentAsBearerAndRotateAndExtraHeadersWin() throws Exception {
    OllamaChatProvider p = OllamaChatProvider.builder()
        .baseUrl(server.url("/").toString())
        .apiKeys(List.of(Secret.of(KEY), Secret.of(OTHER_KEY)))
        .header("X-Team", "search")
        .header("Accept", "application/json, application/x-ndjson")
        .build();
    for (int i = 0; i < 3; i++) {
      server.enqueue(json(200, answer("Hi!", "stop")));
      p.chat(simple(), CallContext.standalone(false));
    }
    RecordedRequest first = server.takeRequest();
    assertThat(first.getHeaders().get("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(first.getHeaders().get("x-team")).isEqualTo("search");
    assertThat(first.getHeaders().get("accept")).isEqualTo("application/json, application/x-ndjson");
    assertThat(server.takeRequest().getHeaders().get("authorization")).isEqualTo("Bearer " + OTHER_KEY);
    assertThat(server.takeRequest().getHeaders().get("authorization")).isEqualTo("Bearer " + KEY);
    p.close();
  }

  @Test
  void imageUrlIsRefusedBeforeAnythingIsSent() {
    ChatRequest request = ChatRequest.builder().model("llava")
        .message(dev.llmgateway.Message.user(new ContentPart.Text("what is this?"),
            ContentPart.Image.ofUrl("https://example.com/cat.png")))
        .build();
    assertThatThrownBy(() -> provider.chat(request, CallContext.standalone(false)))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("base64")
        .hasMessageNotContaining("example.com");
    assertThat(server.getRequestCount()).isZero();
  }

  // --- responses

  @Test
  void doneReasonsMapToFinishReasonsKeepingTheRawValue() {
    String[][] cases = {{"stop", "STOP"}, {"length", "LENGTH"}, {"load", "OTHER"},
        {"unload", "OTHER"}, {"brand_new_reason", "OTHER"}};
    for (String[] c : cases) {
      server.enqueue(json(200, answer("x", c[0])));
      ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
      assertThat(r.finishReason()).as(c[0]).isEqualTo(FinishReason.valueOf(c[1]));
      assertThat(r.rawFinishReason()).isEqualTo(c[0]);
    }
  }

  @Test
  void missingDoneReasonFromOldServersCountsAsStopAndMissingPromptCountAsZero() {
    server.enqueue(json(200, """
        {"model":"llama3.2","message":{"role":"assistant","content":"Hello!"},"done":true,
         "eval_count":298}"""));
    ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).isNull();
    assertThat(r.usage()).isEqualTo(Usage.of(0, 298));
  }

  @Test
  void thinkingServerIdsAndStringArgumentsDecode() {
    server.enqueue(json(200, """
        {"model":"qwen3","message":{"role":"assistant","content":"Calling.","thinking":"User wants weather.",
          "tool_calls":[
            {"id":"call_srv_1","function":{"index":0,"name":"weather","arguments":{"city":"Paris","days":[1,2]}}},
            {"function":{"index":1,"name":"echo","arguments":"{\\"a\\":1}"}}]},
         "done_reason":"stop","done":true,"prompt_eval_count":12,"eval_count":30}"""));
    ChatResponse r = provider.chat(simple(), CallContext.standalone(false));
    assertThat(r.message().content()).containsExactly(
        new ContentPart.Thinking("User wants weather.", null, false),
        new ContentPart.Text("Calling."),
        new ContentPart.ToolCall("call_srv_1", "weather", "{\"city\":\"Paris\",\"days\":[1,2]}"),
        new ContentPart.ToolCall("call_1", "echo", "{\"a\":1}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void requestIdComesFromXRequestIdWhenAProxyAddsOne() {
    server.enqueue(json(200, answer("Hi!", "stop")));
    assertThat(provider.chat(simple(), CallContext.standalone(false)).requestId()).isNull();
    server.enqueue(json(200, answer("Hi!", "stop")).newBuilder()
        .addHeader("x-request-id", "req_proxy_1").build());
    assertThat(provider.chat(simple(), CallContext.standalone(false)).requestId())
        .isEqualTo("req_proxy_1");
    server.enqueue(ndjson(line("Hi") + doneLine("stop", 1, 1)).newBuilder()
        .addHeader("x-request-id", "req_proxy_2").build());
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThat(stream.next()).isEqualTo(
          new ChatChunk.Start(null, "llama3.2", "ollama", "req_proxy_2"));
    }
  }

  @Test
  void errorObjectInA200BodyIsThrown() {
    server.enqueue(json(200, "{\"error\":\"an error was encountered while running the model\"}"));
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("an error was encountered while running the model");
  }

  // --- streams

  @Test
  void streamedThinkingTextAndToolCallsGetRunningIndexes() {
    server.enqueue(ndjson("""
        {"model":"qwen3","message":{"role":"assistant","content":"","thinking":"Let me "},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":"","thinking":"think."},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":"Sure."},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"a","arguments":{"x":1}}},{"id":"srv_9","function":{"name":"b","arguments":{}}}]},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"c"}}]},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":20,"eval_count":40}
        """));
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      stream.forEach(chunks::add);
    }
    assertThat(chunks).containsExactly(
        new ChatChunk.Start(null, "qwen3", "ollama", null),
        new ChatChunk.ThinkingDelta("Let me ", null, false),
        new ChatChunk.ThinkingDelta("think.", null, false),
        new ChatChunk.TextDelta("Sure."),
        new ChatChunk.ToolCallDelta(0, "call_0", "a", "{\"x\":1}"),
        new ChatChunk.ToolCallDelta(1, "srv_9", "b", "{}"),
        new ChatChunk.ToolCallDelta(2, "call_2", "c", "{}"),
        new ChatChunk.Finish(FinishReason.TOOL_CALLS, "stop"),
        new ChatChunk.UsageUpdate(Usage.of(20, 40)));
  }

  @Test
  void streamedAndBlockingAnswersAgree() {
    server.enqueue(ndjson("""
        {"model":"qwen3","message":{"role":"assistant","content":"","thinking":"Hmm."},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":"Calling."},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"a","arguments":{"x":1}}}]},"done":false}
        {"model":"qwen3","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":20,"eval_count":40}
        """));
    ChatResponse streamed = provider.stream(simple(), CallContext.standalone(true)).collect();
    server.enqueue(json(200, """
        {"model":"qwen3","message":{"role":"assistant","content":"Calling.","thinking":"Hmm.",
         "tool_calls":[{"function":{"name":"a","arguments":{"x":1}}}]},
         "done_reason":"stop","done":true,"prompt_eval_count":20,"eval_count":40}"""));
    ChatResponse blocking = provider.chat(simple(), CallContext.standalone(false));
    assertThat(streamed).isEqualTo(blocking);
  }

  @Test
  void errorLineMidStreamIsThrownFromNext() {
    server.enqueue(ndjson(line("Hel") + line("lo")
        + "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n"));
    List<ChatChunk> seen = new ArrayList<>();
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(() -> {
        for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
          seen.add(c);
        }
      }).isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
        assertThat(e.getMessage()).contains("mid-stream").contains("unexpected EOF");
        assertThat(e.provider()).isEqualTo("ollama");
        assertThat(e.model()).isEqualTo("llama3.2");
        assertThat(e.isRetryable()).isTrue();
      });
      // the failure sticks
      assertThatThrownBy(stream::next).isInstanceOf(ProviderUnavailableException.class);
    }
    assertThat(seen).containsExactly(new ChatChunk.Start(null, "llama3.2", "ollama", null),
        new ChatChunk.TextDelta("Hel"), new ChatChunk.TextDelta("lo"));
  }

  @Test
  void contextOverflowErrorLineIsContextLengthExceeded() {
    server.enqueue(ndjson("{\"error\":\"the prompt is longer than the context length currently"
        + " available to the model\"}\n"));
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(stream::next).isInstanceOf(ContextLengthExceededException.class);
    }
  }

  @Test
  void streamEndingBeforeTheDoneLineIsInterrupted() {
    server.enqueue(ndjson(line("This ") + line("is ")));
    List<ChatChunk> seen = new ArrayList<>();
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(() -> {
        for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
          seen.add(c);
        }
      }).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
        assertThat(e.getMessage()).contains("done:true");
        assertThat(e.provider()).isEqualTo("ollama");
        assertThat(e.isRetryable()).isTrue();
      });
    }
    assertThat(seen).contains(new ChatChunk.TextDelta("This "), new ChatChunk.TextDelta("is "));
  }

  @Test
  void streamCutInTheMiddleOfALineIsInterruptedNotMalformed() {
    String done = doneLine("stop", 10, 20);
    server.enqueue(ndjson(line("This ") + done.substring(0, done.length() / 2)));
    try (ChatStream stream = provider.stream(simple(), CallContext.standalone(true))) {
      assertThatThrownBy(stream::collect).isInstanceOf(StreamInterruptedException.class)
          .hasMessageContaining("done:true");
    }
  }

  @Test
  void linesAfterTheDoneLineAreNotRead() {
    server.enqueue(ndjson(line("ok") + doneLine("stop", 1, 2) + "{\"error\":\"late\"}\n"));
    ChatResponse r = provider.stream(simple(), CallContext.standalone(true)).collect();
    assertThat(r.text()).isEqualTo("ok");
    assertThat(r.usage()).isEqualTo(Usage.of(1, 2));
  }

  @Test
  void httpErrorBeforeStreamIsThrownFromStream() {
    server.enqueue(json(404, "{\"error\":\"model 'llama9' not found\"}"));
    assertThatThrownBy(() -> provider.stream(simple(), CallContext.standalone(true)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.getMessage()).contains("model 'llama9' not found").contains("ollama pull llama9");
        });
  }

  @Test
  void cancellingTheCallAbortsAStreamBeingRead() throws Exception {
    server.enqueue(ndjson(line("late") + doneLine("stop", 1, 1)).newBuilder()
        .bodyDelay(5, TimeUnit.SECONDS).build());
    CallContext context = CallContext.standalone(true);
    ChatStream stream = provider.stream(simple(), context);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        stream.next();
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    reader.start();
    context.cancel();
    reader.join();
    assertThat(failure.get()).isInstanceOf(CallCancelledException.class);
    stream.close();
  }

  // --- HTTP and transport errors

  @Test
  void mapsErrorStatuses() {
    assertError(400, "invalid format: expected \"json\" or a JSON schema",
        InvalidRequestException.class, false);
    assertError(400, "{\"error\":{\"code\":400,\"message\":\"request (8889 tokens) exceeds the available"
        + " context size (4096 tokens), try increasing it\",\"type\":\"exceed_context_size_error\"}}",
        ContextLengthExceededException.class, false);
    assertError(404, "model 'llama3.2' not found", InvalidRequestException.class, false);
    assertError(401, "unauthorized", AuthenticationException.class, false);
    assertError(403, "forbidden", AuthenticationException.class, false);
    assertError(429, "too many requests", RateLimitedException.class, true);
    assertError(500, "llama runner process has terminated", ProviderUnavailableException.class, true);
    assertError(502, "bad gateway", ProviderUnavailableException.class, true);
    assertError(503, "server busy, please try again.  maximum pending requests exceeded",
        ProviderUnavailableException.class, true);
  }

  @Test
  void modelNotFoundNamesTheModel() {
    server.enqueue(json(404, "{\"error\":\"model 'mistral-nemo' not found\"}"));
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("model 'mistral-nemo' not found")
        .hasMessageContaining(provider.baseUrl())
        .hasMessageContaining("ollama pull mistral-nemo");
  }

  @Test
  void notFoundWithoutAnOllamaBodySaysToCheckTheBaseUrl() {
    server.enqueue(new MockResponse.Builder().code(404).addHeader("content-type", "text/plain")
        .body("404 page not found").build());
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("text/plain")
        .hasMessageContaining("/api/chat");
  }

  @Test
  void rateLimitCarriesRetryAfter() {
    server.enqueue(json(429, "{\"error\":\"too many requests\"}").newBuilder()
        .addHeader("retry-after", "17").build());
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17));
          assertThat(e.isRetryable()).isTrue();
        });
  }

  @Test
  void unreachableServerSaysWhichBaseUrlCouldNotBeReached() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String baseUrl = "http://127.0.0.1:" + port;
    OllamaChatProvider p = OllamaChatProvider.builder().baseUrl(baseUrl).build();
    assertThatThrownBy(() -> p.chat(simple(), CallContext.standalone(false)))
        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
          assertThat(e.getMessage()).contains("the ollama server at " + baseUrl
              + " could not be reached");
          assertThat(e.isRetryable()).isTrue();
        });
    assertThatThrownBy(() -> p.stream(simple(), CallContext.standalone(true)))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining(baseUrl);
    p.close();
  }

  @Test
  void noExceptionMessageOrToStringContainsTheKey() {
    OllamaChatProvider p = OllamaChatProvider.builder().baseUrl(server.url("/").toString())
        .apiKey(KEY).build();
    List<LlmException> errors = new ArrayList<>();
    String echo = "{\"error\":\"invalid key " + KEY + " (also sk-someoneelse-1234567)\"}";
    for (int status : new int[] {400, 401, 403, 404, 429, 500, 503}) {
      server.enqueue(json(status, echo));
      try {
        p.chat(simple(), CallContext.standalone(false));
      } catch (LlmException e) {
        errors.add(e);
      }
      server.enqueue(json(status, echo));
      try {
        p.stream(simple(), CallContext.standalone(true));
      } catch (LlmException e) {
        errors.add(e);
      }
    }
    server.enqueue(ndjson(line("x") + echo + "\n"));
    try (ChatStream stream = p.stream(simple(), CallContext.standalone(true))) {
      stream.collect();
    } catch (LlmException e) {
      errors.add(e);
    }
    server.enqueue(json(200, echo));
    try {
      p.chat(simple(), CallContext.standalone(false));
    } catch (LlmException e) {
      errors.add(e);
    }
    assertThat(errors).hasSize(16);
    for (LlmException e : errors) {
      assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("THIS-MUST-NEVER-LEAK")
          .doesNotContain("someoneelse");
      assertThat(e.toString()).doesNotContain(KEY);
      assertThat(e.context().toString()).doesNotContain(KEY);
    }
    assertThat(p.toString()).doesNotContain(KEY);
    p.close();
  }

  // --- helpers

  private void assertError(int status, String error, Class<? extends LlmException> expected,
      boolean retryable) {
    String body = "{\"error\":" + OllamaTestSupport.quote(error) + "}";
    server.enqueue(json(status, body));
    assertThatThrownBy(() -> provider.chat(simple(), CallContext.standalone(false)))
        .as(status + " " + error)
        .isExactlyInstanceOf(expected)
        .satisfies(t -> {
          LlmException e = (LlmException) t;
          assertThat(e.httpStatus()).isEqualTo(status);
          assertThat(e.provider()).isEqualTo("ollama");
          assertThat(e.model()).isEqualTo("llama3.2");
          assertThat(e.isRetryable()).isEqualTo(retryable);
        });
  }
}

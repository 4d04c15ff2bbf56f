package dev.llmgateway.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Usage;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BedrockChatProviderTest {
  static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET_KEY = "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";
  static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue";
  static final String API_KEY = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleQ";
  static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
  static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BedrockChatProvider.Builder sigV4(boolean withSessionToken) {
    return BedrockChatProvider.builder()
        .region("us-west-2")
        .baseUrl(server.url("/").toString())
        .credentials(ACCESS_KEY_ID, Secret.of(SECRET_KEY),
            withSessionToken ? Secret.of(SESSION_TOKEN) : null)
        .clock(FIXED_CLOCK);
  }

  private BedrockChatProvider bearer() {
    return BedrockChatProvider.builder().baseUrl(server.url("/").toString()).apiKey(API_KEY).build();
  }

  static ChatRequest simple() {
    return ChatRequest.builder().model(MODEL).user("How many r in strawberry?").build();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("content-type", "application/json")
        .addHeader("x-amzn-RequestId", "req-123").body(body).build();
  }

  static String textResponse() {
    return BedrockTestSupport.text(BedrockTestSupport.file("converse-text.json"));
  }

  // --- defaults and configuration

  @Test
  void builderDefaultsAreTheDocumentedValues() {
    SharedResources resources = new SharedResources();
    BedrockChatProvider p = BedrockChatProvider.builder().region("us-east-1").apiKey(API_KEY)
        .resources(resources).build();
    assertThat(p.name()).isEqualTo(BedrockChatProvider.DEFAULT_PROVIDER_NAME).isEqualTo("bedrock");
    assertThat(BedrockChatProvider.DEFAULT_BASE_URL_TEMPLATE)
        .isEqualTo("https://bedrock-runtime.{region}.amazonaws.com");
    assertThat(p.baseUrl()).isEqualTo("https://bedrock-runtime.us-east-1.amazonaws.com");
    assertThat(p.region()).isEqualTo("us-east-1");
    assertThat(BedrockChatProvider.DEFAULT_SIGNING_NAME).isEqualTo("bedrock");
    assertThat(p.clock()).isSameAs(BedrockChatProvider.DEFAULT_CLOCK);
    assertThat(BedrockChatProvider.DEFAULT_CLOCK.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(p.authScheme()).isEqualTo("bearer");
    assertThat(p.apiKeyCount()).isEqualTo(1);
    assertThat(p.extraHeaderNames()).isEmpty();
    assertThat(p.httpClient()).isSameAs(SharedClients.httpClient(resources));
    assertThat(p.objectMapper()).isSameAs(SharedClients.objectMapper(resources));
    assertThat(p.capabilities()).isEqualTo(BedrockChatProvider.CAPABILITIES);
    assertThat(p.capabilities().tools()).isTrue();
    assertThat(p.capabilities().vision()).isTrue();
    assertThat(p.capabilities().jsonSchema()).isFalse();
    assertThat(p.capabilities().streamingUsage()).isTrue();
  }

  @Test
  void credentialsSelectSigV4() {
    BedrockChatProvider p = BedrockChatProvider.builder().region("eu-central-1")
        .credentials(ACCESS_KEY_ID, Secret.of(SECRET_KEY)).build();
    assertThat(p.authScheme()).isEqualTo("sigv4");
    assertThat(p.apiKeyCount()).isZero();
    assertThat(p.baseUrl()).isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com");
  }

  @Test
  void explicitClientAndMapperWin() {
    OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    ObjectMapper mapper = new ObjectMapper();
    BedrockChatProvider p = BedrockChatProvider.builder().region("us-east-1").apiKey(API_KEY)
        .httpClient(client).objectMapper(mapper).build();
    assertThat(p.httpClient()).isSameAs(client);
    assertThat(p.objectMapper()).isSameAs(mapper);
  }

  @Test
  void missingOrContradictoryConfigurationFailsWhenBuilt() {
    assertThatThrownBy(() -> BedrockChatProvider.builder().region("us-east-1").build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("AWS_ACCESS_KEY_ID").hasMessageContaining("AWS_SECRET_ACCESS_KEY")
        .hasMessageContaining("AWS_BEARER_TOKEN_BEDROCK");
    assertThatThrownBy(() -> BedrockChatProvider.builder().apiKey(API_KEY).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("AWS_REGION");
    assertThatThrownBy(() -> BedrockChatProvider.builder().region("us-east-1").apiKey(API_KEY)
        .credentials(ACCESS_KEY_ID, Secret.of(SECRET_KEY)).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> BedrockChatProvider.builder().baseUrl("https://proxy.example")
        .credentials(ACCESS_KEY_ID, Secret.of(SECRET_KEY)).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("region");
    assertThatThrownBy(() -> BedrockChatProvider.builder().region("us east 1"))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> BedrockChatProvider.builder().region("us-east-1").apiKey(API_KEY)
        .baseUrl("not a url").build()).isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> BedrockChatProvider.builder().header("Authorization", "x"))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void bearerNeedsNoRegionWithABaseUrl() {
    BedrockChatProvider p = BedrockChatProvider.builder().baseUrl("https://proxy.example/bedrock/")
        .apiKey(API_KEY).build();
    assertThat(p.region()).isNull();
    assertThat(p.baseUrl()).isEqualTo("https://proxy.example/bedrock");
  }

  @Test
  void toStringNeverShowsSecrets() {
    BedrockChatProvider sig = sigV4(true).header("x-proxy-token", "proxy-secret-value").build();
    BedrockChatProvider key = bearer();
    assertThat(sig.toString()).doesNotContain(SECRET_KEY).doesNotContain(SESSION_TOKEN)
        .doesNotContain("proxy-secret-value").contains("sigv4").contains("x-proxy-token");
    assertThat(key.toString()).doesNotContain(API_KEY).contains("bearer");
  }

  // --- what goes on the wire

  @Test
  void bearerModeSendsTheApiKeyAndNoSignature() throws Exception {
    server.enqueue(json(200, textResponse()));
    bearer().chat(simple(), CallContext.standalone(false));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getHeaders().get("authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(sent.getHeaders().get("x-amz-date")).isNull();
    assertThat(sent.getHeaders().get("x-amz-content-sha256")).isNull();
    assertThat(sent.getHeaders().get("x-amz-security-token")).isNull();
    assertThat(sent.getHeaders().get("content-type")).isEqualTo("application/json");
    assertThat(sent.getHeaders().get("accept")).isEqualTo("application/json");
  }

  @Test
  void severalApiKeysRotate() throws Exception {
    BedrockChatProvider p = BedrockChatProvider.builder().baseUrl(server.url("/").toString())
        .apiKey(API_KEY).apiKey("second-key-value").build();
    for (int i = 0; i < 3; i++) {
      server.enqueue(json(200, textResponse()));
      p.chat(simple(), CallContext.standalone(false));
    }
    assertThat(server.takeRequest().getHeaders().get("authorization")).endsWith(API_KEY);
    assertThat(server.takeRequest().getHeaders().get("authorization")).endsWith("second-key-value");
    assertThat(server.takeRequest().getHeaders().get("authorization")).endsWith(API_KEY);
  }

  @Test
  void modelIdIsOnePercentEncodedPathSegment() throws Exception {
    BedrockChatProvider p = bearer();
    server.enqueue(json(200, textResponse()));
    p.chat(simple(), CallContext.standalone(false));
    assertThat(server.takeRequest().getTarget())
        .isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");

    server.enqueue(json(200, textResponse()));
    p.chat(simple().withModel("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x"),
        CallContext.standalone(false));
    assertThat(server.takeRequest().getTarget()).isEqualTo(
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x/converse");
  }

  @Test
  void baseUrlPathIsKept() throws Exception {
    BedrockChatProvider p = BedrockChatProvider.builder().baseUrl(server.url("/proxy/").toString())
        .apiKey(API_KEY).build();
    server.enqueue(json(200, textResponse()));
    p.chat(simple(), CallContext.standalone(false));
    assertThat(server.takeRequest().getUrl().encodedPath())
        .isEqualTo("/proxy/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
  }

  @Test
  void sigV4SignsWhatIsSentAndTheSignatureVerifies() throws Exception {
    BedrockChatProvider p = sigV4(true).header("x-team", "search").build();
    server.enqueue(json(200, textResponse()));
    p.chat(simple(), CallContext.standalone(false));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);

    assertThat(sent.getHeaders().get("x-amz-date")).isEqualTo("20260304T050607Z");
    assertThat(sent.getHeaders().get("x-amz-security-token")).isEqualTo(SESSION_TOKEN);
    byte[] body = sent.getBody().toByteArray();
    assertThat(sent.getHeaders().get("x-amz-content-sha256"))
        .isEqualTo(SigV4Reference.sha256Hex(body));
    String authorization = sent.getHeaders().get("authorization");
    assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID
        + "/20260304/us-west-2/bedrock/aws4_request, SignedHeaders=");
    SigV4Reference.Authorization auth = SigV4Reference.Authorization.parse(authorization);
    assertThat(auth.signedHeaders()).contains("host", "content-type", "x-amz-date",
        "x-amz-content-sha256", "x-amz-security-token", "x-team");

    // recompute the signature from the request as the server received it
    Map<String, String> signed = new TreeMap<>();
    for (String h : auth.signedHeaders()) {
      signed.put(h, sent.getHeaders().get(h));
    }
    String path = sent.getTarget();
    SigV4Reference.Signed expected = SigV4Reference.sign("POST", path, signed, body,
        "20260304T050607Z", "us-west-2", "bedrock", SECRET_KEY);
    assertThat(auth.signature()).isEqualTo(expected.signature());
  }

  @Test
  void sigV4WithoutSessionTokenSendsNoToken() throws Exception {
    server.enqueue(json(200, textResponse()));
    sigV4(false).build().chat(simple(), CallContext.standalone(false));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().get("x-amz-security-token")).isNull();
    assertThat(SigV4Reference.Authorization.parse(sent.getHeaders().get("authorization"))
        .signedHeaders()).doesNotContain("x-amz-security-token");
  }

  @Test
  void signatureIsDeterministicForFixedCredentialsRegionAndClock() throws Exception {
    BedrockChatProvider p = sigV4(true).build();
    server.enqueue(json(200, textResponse()));
    server.enqueue(json(200, textResponse()));
    p.chat(simple(), CallContext.standalone(false));
    sigV4(true).build().chat(simple(), CallContext.standalone(false));
    String first = server.takeRequest().getHeaders().get("authorization");
    String second = server.takeRequest().getHeaders().get("authorization");
    assertThat(first).isEqualTo(second);
  }

  @Test
  void streamingCallsConverseStreamAcceptingTheEventStream() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/vnd.amazon.eventstream")
        .body(new okio.Buffer().write(BedrockTestSupport.eventStreamOf(
            BedrockTestSupport.file("converse-stream-text.jsonl")))).build());
    bearer().stream(simple(), CallContext.standalone(true)).collect();
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getTarget())
        .isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream");
    assertThat(sent.getHeaders().get("accept")).isEqualTo("application/vnd.amazon.eventstream");
    JsonNode body = BedrockTestSupport.json(sent.getBody().utf8());
    assertThat(body.has("stream")).isFalse();
    assertThat(body.path("messages").get(0).path("content").get(0).path("text").asText())
        .isEqualTo("How many r in strawberry?");
  }

  // --- blocking answer

  @Test
  void decodesTheRecordedConverseResponse() {
    server.enqueue(json(200, textResponse()));
    ChatResponse r = bearer().chat(simple(), CallContext.standalone(false));
    JsonNode recorded = BedrockTestSupport.json(textResponse());

    assertThat(r.text()).isEqualTo(recorded.path("output").path("message").path("content").get(0)
        .path("text").asText());
    assertThat(r.text()).startsWith("Let me count the \"r\"s in \"strawberry\"")
        .endsWith("There are **3** \"r\"s in \"strawberry.\"");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).isEqualTo("end_turn");
    assertThat(r.usage()).isEqualTo(new Usage(22, 57, 0, 0, 0, false));
    assertThat(r.usage().totalTokens()).isEqualTo(recorded.path("usage").path("totalTokens").asLong());
    assertThat(r.requestId()).isEqualTo("req-123");
    assertThat(r.provider()).isEqualTo("bedrock");
    assertThat(r.model()).isEqualTo(MODEL);
  }

  @Test
  void decodesToolUseReasoningAndCacheUsage() {
    server.enqueue(json(200, """
        {"output":{"message":{"role":"assistant","content":[
          {"reasoningContent":{"reasoningText":{"text":"I should look it up.","signature":"sig-1"}}},
          {"reasoningContent":{"redactedContent":"cmVkYWN0ZWQ="}},
          {"text":"Let me check."},
          {"toolUse":{"toolUseId":"tooluse_abc","name":"weather","input":{"city":"Paris","days":2}}},
          {"image":{"format":"png","source":{"bytes":"AAAA"}}}
        ]}},
        "stopReason":"tool_use",
        "usage":{"inputTokens":10,"outputTokens":20,"totalTokens":130,
                 "cacheReadInputTokens":80,"cacheWriteInputTokens":20}}
        """));
    ChatResponse r = bearer().chat(simple(), CallContext.standalone(false));
    assertThat(r.message().content()).containsExactly(
        new ContentPart.Thinking("I should look it up.", "sig-1", false),
        new ContentPart.Thinking("", "cmVkYWN0ZWQ=", true),
        new ContentPart.Text("Let me check."),
        new ContentPart.ToolCall("tooluse_abc", "weather", "{\"city\":\"Paris\",\"days\":2}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(new Usage(110, 20, 80, 20, 0, false));
    assertThat(r.usage().totalTokens()).isEqualTo(130);
  }

  @Test
  void mapsEveryStopReason() {
    Map<String, FinishReason> expected = Map.of(
        "end_turn", FinishReason.STOP, "stop_sequence", FinishReason.STOP,
        "max_tokens", FinishReason.LENGTH, "model_context_window_exceeded", FinishReason.LENGTH,
        "tool_use", FinishReason.TOOL_CALLS, "guardrail_intervened", FinishReason.CONTENT_FILTER,
        "content_filtered", FinishReason.CONTENT_FILTER, "malformed_model_output", FinishReason.ERROR,
        "malformed_tool_use", FinishReason.ERROR, "brand_new_reason", FinishReason.OTHER);
    BedrockChatProvider p = bearer();
    expected.forEach((raw, reason) -> {
      server.enqueue(json(200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
          + "[{\"text\":\"x\"}]}},\"stopReason\":\"" + raw + "\"}"));
      ChatResponse r = p.chat(simple(), CallContext.standalone(false));
      assertThat(r.finishReason()).as(raw).isEqualTo(reason);
      assertThat(r.rawFinishReason()).isEqualTo(raw);
      assertThat(r.usage()).isEqualTo(Usage.ZERO);
    });
  }

  @Test
  void jsonResponseFormatsAreRefusedBeforeAnyCall() {
    ChatRequest request = simple().toBuilder()
        .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}")).build();
    assertThatThrownBy(() -> bearer().chat(request, CallContext.standalone(false)))
        .isInstanceOf(UnsupportedFeatureException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aBodyThatIsNotJsonIsMalformed() {
    server.enqueue(json(200, "<html>oops</html>"));
    assertThatThrownBy(() -> bearer().chat(simple(), CallContext.standalone(false)))
        .isInstanceOf(dev.llmgateway.error.MalformedResponseException.class)
        .hasMessageContaining("not valid JSON");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

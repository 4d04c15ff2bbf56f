package dev.llmgateway.provider.azure;

import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.API_KEY;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.COMPLETION;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.DEPLOYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.spi.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AzureOpenAiRequestMappingTest {
  private final ObjectMapper mapper = new ObjectMapper();
  @RegisterExtension
  final MockServer mock = new MockServer();
  private MockWebServer server;
  private OkHttpClient client;

  @BeforeEach
  void start() {
    server = mock.server();
    client = mock.client();
  }

  private RecordedRequest send(AzureOpenAiChatProvider p, ChatRequest request) throws Exception {
    server.enqueue(AzureOpenAiTestSupport.json(200, COMPLETION));
    p.chat(request, CallContext.standalone(false));
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private JsonNode bodyOf(RecordedRequest recorded) throws Exception {
    return mapper.readTree(recorded.getBody().utf8());
  }

  @Test
  void postsToTheDeploymentUrlWithTheDefaultApiVersionAndTheApiKeyHeader() throws Exception {
    AzureOpenAiChatProvider p = AzureOpenAiTestSupport.providerFor(server, client).build();
    RecordedRequest recorded = send(p, AzureOpenAiTestSupport.request());
    assertThat(recorded.getMethod()).isEqualTo("POST");
    assertThat(recorded.getUrl().encodedPath())
        .isEqualTo("/openai/deployments/" + DEPLOYMENT + "/chat/completions");
    assertThat(recorded.getUrl().queryParameter("api-version")).isEqualTo("2024-10-21")
        .isEqualTo(AzureOpenAiChatProvider.DEFAULT_API_VERSION);
    assertThat(recorded.getHeaders().get("api-key")).isEqualTo(API_KEY);
    assertThat(recorded.getHeaders().get("Authorization")).isNull();
    assertThat(bodyOf(recorded).get("model").asText()).isEqualTo(DEPLOYMENT);
  }

  @Test
  void aDeploymentNameIsOnePathSegment() throws Exception {
    AzureOpenAiChatProvider p = AzureOpenAiTestSupport.providerFor(server, client).build();
    RecordedRequest recorded = send(p, ChatRequest.builder().model("team a/gpt").user("hi").build());
    assertThat(recorded.getUrl().encodedPath())
        .isEqualTo("/openai/deployments/team%20a%2Fgpt/chat/completions");
  }

  @Test
  void anEndpointWithAPathKeepsIt() throws Exception {
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder()
        .endpoint(server.url("/gateway/aoai/").toString()).apiKey(Secret.of(API_KEY))
        .apiVersion("2025-04-01-preview").httpClient(client).build();
    RecordedRequest recorded = send(p, AzureOpenAiTestSupport.request());
    assertThat(recorded.getUrl().encodedPath())
        .isEqualTo("/gateway/aoai/openai/deployments/" + DEPLOYMENT + "/chat/completions");
    assertThat(recorded.getUrl().queryParameter("api-version")).isEqualTo("2025-04-01-preview");
  }

  @Test
  void theV1SurfaceTakesTheDeploymentAsModelAndNoApiVersion() throws Exception {
    AzureOpenAiChatProvider p = AzureOpenAiTestSupport.providerFor(server, client)
        .mode(AzureOpenAiChatProvider.Mode.V1).build();
    RecordedRequest recorded = send(p, AzureOpenAiTestSupport.request());
    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
    assertThat(recorded.getUrl().queryParameter("api-version")).isNull();
    assertThat(bodyOf(recorded).get("model").asText()).isEqualTo(DEPLOYMENT);
    assertThat(recorded.getHeaders().get("api-key")).isEqualTo(API_KEY);
  }

  @Test
  void theV1SurfaceSendsAnExplicitApiVersion() throws Exception {
    AzureOpenAiChatProvider p = AzureOpenAiTestSupport.providerFor(server, client)
        .mode(AzureOpenAiChatProvider.Mode.V1).apiVersion("preview").build();
    RecordedRequest recorded = send(p, AzureOpenAiTestSupport.request());
    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
    assertThat(recorded.getUrl().queryParameter("api-version")).isEqualTo("preview");
  }

  @Test
  void bearerModeAsksTheSupplierOnEveryCallAndSendsNoApiKey() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder()
        .endpoint(server.url("/").toString())
        .tokenSupplier(() -> "entra-token-" + asked.incrementAndGet())
        .httpClient(client)
        .build();
    RecordedRequest first = send(p, AzureOpenAiTestSupport.request());
    RecordedRequest second = send(p, AzureOpenAiTestSupport.request());
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer entra-token-1");
    assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer entra-token-2");
    assertThat(first.getHeaders().get("api-key")).isNull();
    assertThat(second.getHeaders().get("api-key")).isNull();
  }

  @Test
  void twoKeysOverFourCallsAreEachUsedTwiceInOrder() throws Exception {
    AzureOpenAiChatProvider p = AzureOpenAiTestSupport.providerFor(server, client)
        .apiKeys(List.of(Secret.of("key-a"), Secret.of("key-b"))).build();
    List<String> used = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      used.add(send(p, AzureOpenAiTestSupport.request()).getHeaders().get("api-key"));
    }
    assertThat(used).containsExactly("key-a", "key-b", "key-a", "key-b");
  }

  @Test
  void streamsAskForUsageAndSendExtraHeaders() throws Exception {
    AzureOpenAiChatProvider p = AzureOpenAiTestSupport.providerFor(server, client)
        .header("x-ms-client-request-id", "client-1").build();
    server.enqueue(MockResponses.sse("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
    p.stream(AzureOpenAiTestSupport.request(), CallContext.standalone(true)).collect();
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    assertThat(recorded.getHeaders().get("x-ms-client-request-id")).isEqualTo("client-1");
    JsonNode body = bodyOf(recorded);
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.get("stream_options").get("include_usage").asBoolean()).isTrue();
  }

  @Test
  void writesMaxTokensToTheConfiguredField() throws Exception {
    ChatRequest request = AzureOpenAiTestSupport.request().toBuilder().maxTokens(64).build();
    assertThat(bodyOf(send(AzureOpenAiTestSupport.providerFor(server, client).build(), request))
        .get("max_completion_tokens").asInt()).isEqualTo(64);
    JsonNode legacy = bodyOf(send(AzureOpenAiTestSupport.providerFor(server, client)
        .maxTokensField("max_tokens").build(), request));
    assertThat(legacy.get("max_tokens").asInt()).isEqualTo(64);
    assertThat(legacy.has("max_completion_tokens")).isFalse();
  }
}

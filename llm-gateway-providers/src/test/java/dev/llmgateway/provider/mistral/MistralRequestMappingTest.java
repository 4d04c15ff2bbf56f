package dev.llmgateway.provider.mistral;

import static dev.llmgateway.provider.mistral.MistralTestSupport.API_KEY;
import static dev.llmgateway.provider.mistral.MistralTestSupport.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Role;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.spi.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MistralRequestMappingTest {
  private final ObjectMapper mapper = new ObjectMapper();
  @RegisterExtension
  final MockServer mock = new MockServer();
  private MockWebServer server;
  private OkHttpClient client;
  private MistralChatProvider provider;

  @BeforeEach
  void start() {
    server = mock.server();
    client = mock.client();
    provider = MistralTestSupport.providerFor(server, client).build();
  }

  private RecordedRequest send(MistralChatProvider p, ChatRequest request) throws Exception {
    server.enqueue(MockResponses.json(200, COMPLETION));
    p.chat(request, CallContext.standalone(false));
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private JsonNode bodyOf(RecordedRequest recorded) throws Exception {
    return mapper.readTree(recorded.getBody().utf8());
  }

  private ChatRequest.Builder withTool() {
    return MistralTestSupport.request().toBuilder()
        .tool(ToolDefinition.of("weather", "Weather", ToolDefinition.EMPTY_PARAMETERS));
  }

  @Test
  void postsToChatCompletionsWithBearerAuth() throws Exception {
    RecordedRequest recorded = send(provider, MistralTestSupport.request());
    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(bodyOf(recorded)).isEqualTo(mapper.readTree(
        "{\"model\":\"mistral-small-latest\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}"));
  }

  @Test
  void theSeedGoesInRandomSeedAndTheLimitInMaxTokens() throws Exception {
    JsonNode body = bodyOf(send(provider, MistralTestSupport.request().toBuilder()
        .seed(42L).maxTokens(100).temperature(0.3).build()));
    assertThat(body.get("random_seed").asLong()).isEqualTo(42L);
    assertThat(body.has("seed")).isFalse();
    assertThat(body.get("max_tokens").asInt()).isEqualTo(100);
    assertThat(body.has("max_completion_tokens")).isFalse();
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);
  }

  @Test
  void requiredToolChoiceIsAny() throws Exception {
    assertThat(bodyOf(send(provider, withTool().toolChoice(ToolChoice.required()).build()))
        .get("tool_choice").asText()).isEqualTo("any");
    assertThat(bodyOf(send(provider, withTool().toolChoice(ToolChoice.auto()).build()))
        .get("tool_choice").asText()).isEqualTo("auto");
    assertThat(bodyOf(send(provider, withTool().toolChoice(ToolChoice.none()).build()))
        .get("tool_choice").asText()).isEqualTo("none");
    assertThat(bodyOf(send(provider, withTool().toolChoice(ToolChoice.tool("weather")).build()))
        .get("tool_choice")).isEqualTo(mapper.readTree(
            "{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}"));
  }

  @Test
  void sendsNoFieldMistralWouldReject() throws Exception {
    ChatRequest request = ChatRequest.builder().model(MistralTestSupport.MODEL)
        .message(new Message(Role.USER, List.of(new ContentPart.Text("hi")), "alice"))
        .metadata(RequestMetadata.EMPTY.withUser("user-7"))
        .build();
    JsonNode body = bodyOf(send(provider, request));
    assertThat(body.has("user")).isFalse();
    assertThat(body.get("messages").get(0).has("name")).isFalse();
    server.enqueue(MockResponses.sse("data: {\"id\":\"m\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
    provider.stream(request, CallContext.standalone(true)).collect();
    JsonNode streamed = bodyOf(server.takeRequest(5, TimeUnit.SECONDS));
    assertThat(streamed.get("stream").asBoolean()).isTrue();
    assertThat(streamed.has("stream_options")).isFalse();
  }

  @Test
  void toolCallIdsGoBackExactlyAndToolMessagesCarryTheName() throws Exception {
    ChatRequest request = withTool()
        .message(Message.assistant(List.of(new ContentPart.ToolCall("gSIMJiOkT", "weather",
            "{\"location\": \"San Francisco\"}"))))
        .message(Message.toolResult("gSIMJiOkT", "weather", "{\"temp\":18}"))
        .build();
    JsonNode messages = bodyOf(send(provider, request)).get("messages");
    assertThat(messages.get(1).get("tool_calls").get(0).get("id").asText()).isEqualTo("gSIMJiOkT");
    assertThat(messages.get(1).get("tool_calls").get(0).get("function").get("arguments").asText())
        .isEqualTo("{\"location\": \"San Francisco\"}");
    assertThat(messages.get(2)).isEqualTo(mapper.readTree("{\"role\":\"tool\","
        + "\"tool_call_id\":\"gSIMJiOkT\",\"content\":\"{\\\"temp\\\":18}\",\"name\":\"weather\"}"));
  }

  @Test
  void twoKeysOverFourCallsAreEachUsedTwiceInOrder() throws Exception {
    MistralChatProvider p = MistralTestSupport.providerFor(server, client)
        .apiKeys(List.of(Secret.of("key-a"), Secret.of("key-b"))).build();
    List<String> used = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      used.add(send(p, MistralTestSupport.request()).getHeaders().get("Authorization"));
    }
    assertThat(used).containsExactly("Bearer key-a", "Bearer key-b", "Bearer key-a", "Bearer key-b");
  }
}

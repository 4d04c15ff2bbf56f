package dev.llmgateway.provider.openai;

import static dev.llmgateway.provider.openai.OpenAiTestSupport.API_KEY;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.SIMPLE_COMPLETION;
import static dev.llmgateway.provider.openai.OpenAiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiRequestMappingTest {
  private static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

  private final ObjectMapper mapper = new ObjectMapper();
  private final OkHttpClient client = new OkHttpClient();
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
    server.close();
  }

  private RecordedRequest send(OpenAiChatProvider p, ChatRequest request) throws Exception {
    server.enqueue(json(200, SIMPLE_COMPLETION));
    p.chat(request, CallContext.standalone(false));
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private JsonNode bodyOf(RecordedRequest recorded) throws Exception {
    return mapper.readTree(recorded.getBody().utf8());
  }

  @Test
  void sendsTheMinimalRequestToChatCompletionsWithBearerAuth() throws Exception {
    RecordedRequest recorded = send(provider, OpenAiTestSupport.simpleRequest());
    assertThat(recorded.getMethod()).isEqualTo("POST");
    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(recorded.getHeaders().get("OpenAI-Organization")).isNull();
    assertThat(bodyOf(recorded)).isEqualTo(mapper.readTree(
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}"));
  }

  @Test
  void sendsOrganizationProjectAndExtraHeadersAndNoAuthWithoutKey() throws Exception {
    OpenAiChatProvider p = OpenAiChatProvider.builder().baseUrl(server.url("/v1/").toString())
        .httpClient(client).organization("org-1").project("proj-1").header("X-Extra", "1").build();
    RecordedRequest recorded = send(p, OpenAiTestSupport.simpleRequest());
    assertThat(recorded.getHeaders().get("Authorization")).isNull();
    assertThat(recorded.getHeaders().get("OpenAI-Organization")).isEqualTo("org-1");
    assertThat(recorded.getHeaders().get("OpenAI-Project")).isEqualTo("proj-1");
    assertThat(recorded.getHeaders().get("X-Extra")).isEqualTo("1");
  }

  @Test
  void rotatesApiKeysPerCall() throws Exception {
    OpenAiChatProvider p = OpenAiTestSupport.providerFor(server, client)
        .apiKeys(List.of(Secret.of("key-a"), Secret.of("key-b"))).build();
    assertThat(send(p, OpenAiTestSupport.simpleRequest()).getHeaders().get("Authorization"))
        .isEqualTo("Bearer key-a");
    assertThat(send(p, OpenAiTestSupport.simpleRequest()).getHeaders().get("Authorization"))
        .isEqualTo("Bearer key-b");
    assertThat(send(p, OpenAiTestSupport.simpleRequest()).getHeaders().get("Authorization"))
        .isEqualTo("Bearer key-a");
  }

  @Test
  void mapsAConversationWithToolsImagesAndToolResults() throws Exception {
    ChatRequest request = ChatRequest.builder()
        .model("gpt-4o")
        .message(new Message(Role.SYSTEM, List.of(new ContentPart.Text("Be brief.")), "rules"))
        .message(new Message(Role.USER, List.of(
            new ContentPart.Text("What is in these images, and the weather?"),
            new ContentPart.Image("https://example.com/a.png", null, null, "low"),
            ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo=")), "alice"))
        .message(Message.assistant(List.of(
            new ContentPart.Thinking("let me think", "sig", false),
            new ContentPart.Text("Checking."),
            new ContentPart.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
            new ContentPart.ToolCall("call_2", "get_weather", "{\"city\":\"Oslo\"}"))))
        .message(new Message(Role.TOOL, List.of(
            new ContentPart.ToolResult("call_1", "get_weather", "{\"temp\":21}", false),
            new ContentPart.ToolResult("call_2", "get_weather", "unavailable", true))))
        .message(Message.assistant(List.of(new ContentPart.ToolCall("call_3", "get_weather", "{}"))))
        .message(Message.user(new ContentPart.ToolResult("call_3", null, "{\"temp\":5}", false),
            new ContentPart.Text("Thanks, and summarise.")))
        .tool(new ToolDefinition("get_weather", "Current weather", WEATHER_SCHEMA, true))
        .tool(ToolDefinition.of("no_args", "Takes nothing", ToolDefinition.EMPTY_PARAMETERS))
        .toolChoice(ToolChoice.tool("get_weather"))
        .parallelToolCalls(false)
        .build();
    JsonNode body = bodyOf(send(provider, request));
    assertThat(body.get("messages")).isEqualTo(mapper.readTree("""
        [
          {"role":"system","content":"Be brief.","name":"rules"},
          {"role":"user","name":"alice","content":[
            {"type":"text","text":"What is in these images, and the weather?"},
            {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
          {"role":"assistant","content":"Checking.","tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\\"temp\\":21}"},
          {"role":"tool","tool_call_id":"call_2","content":"unavailable"},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"call_3","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_3","content":"{\\"temp\\":5}"},
          {"role":"user","content":"Thanks, and summarise."}
        ]"""));
    assertThat(body.get("tools")).isEqualTo(mapper.readTree("""
        [{"type":"function","function":{"name":"get_weather","description":"Current weather",
          "parameters":%s,"strict":true}},
         {"type":"function","function":{"name":"no_args","description":"Takes nothing",
          "parameters":{"type":"object","properties":{}}}}]""".formatted(WEATHER_SCHEMA)));
    assertThat(body.get("tool_choice")).isEqualTo(mapper.readTree(
        "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));
    assertThat(body.get("parallel_tool_calls").asBoolean()).isFalse();
  }

  @Test
  void mapsTheSimpleToolChoices() throws Exception {
    ChatRequest.Builder base = OpenAiTestSupport.simpleRequest().toBuilder()
        .tool(ToolDefinition.of("t", "d", ToolDefinition.EMPTY_PARAMETERS));
    assertThat(bodyOf(send(provider, base.toolChoice(ToolChoice.auto()).build())).get("tool_choice").asText())
        .isEqualTo("auto");
    assertThat(bodyOf(send(provider, base.toolChoice(ToolChoice.none()).build())).get("tool_choice").asText())
        .isEqualTo("none");
    assertThat(bodyOf(send(provider, base.toolChoice(ToolChoice.required()).build())).get("tool_choice")
        .asText()).isEqualTo("required");
  }

  @Test
  void omitsParallelToolCallsWithoutTools() throws Exception {
    JsonNode body = bodyOf(send(provider, OpenAiTestSupport.simpleRequest().toBuilder()
        .parallelToolCalls(true).build()));
    assertThat(body.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void mapsSamplingParametersAndUser() throws Exception {
    ChatRequest request = OpenAiTestSupport.simpleRequest().toBuilder()
        .temperature(0.2).topP(0.9).maxTokens(64).stop(List.of("END", "STOP")).seed(42L)
        .frequencyPenalty(0.5).presencePenalty(-0.5)
        .metadata(RequestMetadata.EMPTY.withUser("user-7").withTenant("acme"))
        .build();
    JsonNode body = bodyOf(send(provider, request));
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(64);
    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.get("stop")).isEqualTo(mapper.readTree("[\"END\",\"STOP\"]"));
    assertThat(body.get("seed").asLong()).isEqualTo(42L);
    assertThat(body.get("frequency_penalty").asDouble()).isEqualTo(0.5);
    assertThat(body.get("presence_penalty").asDouble()).isEqualTo(-0.5);
    assertThat(body.get("user").asText()).isEqualTo("user-7");
    assertThat(body.toString()).doesNotContain("acme");
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void writesMaxTokensToTheConfiguredField() throws Exception {
    OpenAiChatProvider p = OpenAiTestSupport.providerFor(server, client).maxTokensField("max_tokens").build();
    JsonNode body = bodyOf(send(p, OpenAiTestSupport.simpleRequest().toBuilder().maxTokens(10).build()));
    assertThat(body.get("max_tokens").asInt()).isEqualTo(10);
    assertThat(body.has("max_completion_tokens")).isFalse();
  }

  @Test
  void mapsResponseFormats() throws Exception {
    String schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}";
    assertThat(bodyOf(send(provider, OpenAiTestSupport.simpleRequest().toBuilder()
        .responseFormat(ResponseFormat.jsonSchema("answer", schema)).build())).get("response_format"))
        .isEqualTo(mapper.readTree("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\","
            + "\"schema\":" + schema + ",\"strict\":true}}"));
    assertThat(bodyOf(send(provider, OpenAiTestSupport.simpleRequest().toBuilder()
        .responseFormat(ResponseFormat.jsonObject()).build())).get("response_format"))
        .isEqualTo(mapper.readTree("{\"type\":\"json_object\"}"));
    assertThat(bodyOf(send(provider, OpenAiTestSupport.simpleRequest().toBuilder()
        .responseFormat(ResponseFormat.text()).build())).get("response_format"))
        .isEqualTo(mapper.readTree("{\"type\":\"text\"}"));
  }

  @Test
  void mergesProviderOptionsAtTheTopLevel() throws Exception {
    JsonNode body = bodyOf(send(provider, OpenAiTestSupport.simpleRequest().toBuilder()
        .providerOption("logprobs", true)
        .providerOption("top_logprobs", 2)
        .providerOption("metadata", Map.of("k", "v"))
        .providerOption("model", "gpt-4o-override")
        .build()));
    assertThat(body.get("logprobs").asBoolean()).isTrue();
    assertThat(body.get("top_logprobs").asInt()).isEqualTo(2);
    assertThat(body.get("metadata")).isEqualTo(mapper.readTree("{\"k\":\"v\"}"));
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-override");
  }

  @Test
  void streamsAskForUsageUnlessTurnedOff() throws Exception {
    server.enqueue(OpenAiTestSupport.sse(OpenAiTestSupport.finishChunk("stop") + OpenAiTestSupport.DONE));
    provider.stream(OpenAiTestSupport.simpleRequest(), CallContext.standalone(true)).collect();
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    JsonNode body = bodyOf(recorded);
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.get("stream_options")).isEqualTo(mapper.readTree("{\"include_usage\":true}"));
    assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");

    OpenAiChatProvider noUsage = OpenAiTestSupport.providerFor(server, client).includeStreamUsage(false).build();
    server.enqueue(OpenAiTestSupport.sse(OpenAiTestSupport.finishChunk("stop") + OpenAiTestSupport.DONE));
    noUsage.stream(OpenAiTestSupport.simpleRequest(), CallContext.standalone(true)).collect();
    JsonNode second = bodyOf(server.takeRequest(5, TimeUnit.SECONDS));
    assertThat(second.get("stream").asBoolean()).isTrue();
    assertThat(second.has("stream_options")).isFalse();
  }

  @Test
  void rejectsAToolSchemaThatIsNotJsonBeforeSending() {
    ChatRequest request = OpenAiTestSupport.simpleRequest().toBuilder()
        .tool(ToolDefinition.of("broken", "d", "{not json")).build();
    assertThatThrownBy(() -> provider.chat(request, CallContext.standalone(false)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("broken");
    assertThat(server.getRequestCount()).isZero();
  }
}

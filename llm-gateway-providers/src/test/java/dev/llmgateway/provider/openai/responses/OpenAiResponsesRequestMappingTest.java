package dev.llmgateway.provider.openai.responses;

import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.API_KEY;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.created;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.events;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.json;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.simpleRequest;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.sse;
import static dev.llmgateway.provider.openai.responses.OpenAiResponsesTestSupport.terminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.provider.ConformanceFiles;
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

class OpenAiResponsesRequestMappingTest {
  private static final String OK_BODY =
      OpenAiResponsesTestSupport.responseJson("completed", null, "[]");

  private final OkHttpClient client = new OkHttpClient();
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

  private RecordedRequest send(OpenAiResponsesChatProvider provider, ChatRequest request)
      throws Exception {
    server.enqueue(OpenAiResponsesTestSupport.json(200, OK_BODY));
    provider.chat(request, CallContext.standalone(false));
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private static JsonNode bodyOf(RecordedRequest recorded) {
    return json(recorded.getBody().utf8());
  }

  private OpenAiResponsesChatProvider provider() {
    return OpenAiResponsesTestSupport.providerFor(server, client).build();
  }

  @Test
  void mapsEveryPartOfAConversation() throws Exception {
    ChatRequest request = ChatRequest.builder()
        .model("o3-mini")
        .system("Be brief.")
        .user("What is 12 + 7?")
        .message(Message.user(new ContentPart.Text("And this?"), ContentPart.Image.ofUrl(
            "https://example.com/a.png"), new ContentPart.Image(null, "iVBORw0K", "image/png", "low")))
        .message(Message.assistant(List.of(
            new ContentPart.Thinking("I should add.", "gAAAA-encrypted", true),
            new ContentPart.Text("Let me calculate."),
            new ContentPart.ToolCall("call_1", "calculator", "{\"a\":12,\"b\":7}"),
            new ContentPart.Thinking("unsigned thinking is dropped", null, false),
            new ContentPart.Thinking("a foreign signed block is dropped", "sig", false))))
        .message(Message.toolResult("call_1", "calculator", "19"))
        .system("Answer in English.")
        .tool(new ToolDefinition("calculator", "Adds numbers.",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"}}}", null))
        .tool(new ToolDefinition("strict_tool", null, ToolDefinition.EMPTY_PARAMETERS, true))
        .toolChoice(ToolChoice.tool("calculator"))
        .parallelToolCalls(false)
        .temperature(0.5)
        .topP(0.9)
        .maxTokens(256)
        .seed(42L)
        .frequencyPenalty(0.1)
        .presencePenalty(0.2)
        .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}"))
        .metadata(RequestMetadata.EMPTY.withUser("user-7").withTenant("acme"))
        .providerOption("reasoning_effort", "high")
        .providerOption("reasoning", Map.of("summary", "auto"))
        .providerOption("text", Map.of("verbosity", "low"))
        .providerOption("truncation", "auto")
        .build();
    RecordedRequest recorded = send(provider(), request);

    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/responses");
    assertThat(recorded.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(bodyOf(recorded)).isEqualTo(json("""
        {"model":"o3-mini",
         "instructions":"Be brief.\\n\\nAnswer in English.",
         "input":[
           {"type":"message","role":"user","content":[{"type":"input_text","text":"What is 12 + 7?"}]},
           {"type":"message","role":"user","content":[
             {"type":"input_text","text":"And this?"},
             {"type":"input_image","image_url":"https://example.com/a.png","detail":"auto"},
             {"type":"input_image","image_url":"data:image/png;base64,iVBORw0K","detail":"low"}]},
           {"type":"reasoning","summary":[{"type":"summary_text","text":"I should add."}],
            "encrypted_content":"gAAAA-encrypted"},
           {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Let me calculate."}]},
           {"type":"function_call","call_id":"call_1","name":"calculator","arguments":"{\\"a\\":12,\\"b\\":7}"},
           {"type":"function_call_output","call_id":"call_1","output":"19"}],
         "tools":[
           {"type":"function","name":"calculator","description":"Adds numbers.",
            "parameters":{"type":"object","properties":{"a":{"type":"number"}}},"strict":false},
           {"type":"function","name":"strict_tool","parameters":{"type":"object","properties":{}},
            "strict":true}],
         "parallel_tool_calls":false,
         "tool_choice":{"type":"function","name":"calculator"},
         "temperature":0.5,
         "top_p":0.9,
         "max_output_tokens":256,
         "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true},
                 "verbosity":"low"},
         "user":"user-7",
         "store":false,
         "include":["reasoning.encrypted_content"],
         "reasoning":{"effort":"high","summary":"auto"},
         "truncation":"auto"}
        """));
  }

  @Test
  void streamingAsksForAnEventStream() throws Exception {
    server.enqueue(sse(events(List.of(created("resp_1", "o3-mini"),
        terminal("response.completed", "completed", null, "[]")))));
    provider().stream(simpleRequest(), CallContext.standalone(true)).collect();
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    assertThat(bodyOf(recorded).path("stream").asBoolean()).isTrue();
    assertThat(bodyOf(recorded).has("stream_options")).isFalse();
  }

  @Test
  void sendsTheKeyAndOpenAiHeaders() throws Exception {
    RecordedRequest recorded = send(OpenAiResponsesTestSupport.providerFor(server, client)
        .organization("org-1").project("proj-1").header("X-Extra", "1").build(), simpleRequest());
    assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(recorded.getHeaders().get("OpenAI-Organization")).isEqualTo("org-1");
    assertThat(recorded.getHeaders().get("OpenAI-Project")).isEqualTo("proj-1");
    assertThat(recorded.getHeaders().get("X-Extra")).isEqualTo("1");
    assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
  }

  @Test
  void rotatesSeveralKeysRoundRobin() throws Exception {
    OpenAiResponsesChatProvider p = OpenAiResponsesChatProvider.builder()
        .baseUrl(server.url("/v1").toString()).httpClient(client)
        .apiKeys(List.of(Secret.of("k1"), Secret.of("k2"))).build();
    assertThat(send(p, simpleRequest()).getHeaders().get("Authorization")).isEqualTo("Bearer k1");
    assertThat(send(p, simpleRequest()).getHeaders().get("Authorization")).isEqualTo("Bearer k2");
    assertThat(send(p, simpleRequest()).getHeaders().get("Authorization")).isEqualTo("Bearer k1");
  }

  @Test
  void storeAndIncludeFollowTheBuilder() throws Exception {
    JsonNode body = bodyOf(send(OpenAiResponsesTestSupport.providerFor(server, client)
        .store(true).includeEncryptedReasoning(false).build(), simpleRequest()));
    assertThat(body.path("store").asBoolean()).isTrue();
    assertThat(body.has("include")).isFalse();
  }

  @Test
  void aProviderOptionReplacesIncludeForOneRequest() throws Exception {
    JsonNode body = bodyOf(send(provider(), simpleRequest().toBuilder()
        .providerOption("include", List.of()).build()));
    assertThat(body.path("include").isArray()).isTrue();
    assertThat(body.path("include")).isEmpty();
  }

  @Test
  void anExplicitReasoningEffortWinsOverTheChatCompletionsSpelling() throws Exception {
    JsonNode body = bodyOf(send(provider(), simpleRequest().toBuilder()
        .providerOption("reasoning_effort", "low")
        .providerOption("reasoning", Map.of("effort", "high")).build()));
    assertThat(body.path("reasoning")).isEqualTo(json("{\"effort\":\"high\"}"));
    assertThat(body.has("reasoning_effort")).isFalse();
  }

  @Test
  void mapsToolChoicesAndJsonObject() throws Exception {
    ChatRequest base = simpleRequest().toBuilder()
        .tool(ToolDefinition.of("f", "d", ToolDefinition.EMPTY_PARAMETERS)).build();
    assertThat(bodyOf(send(provider(), base.toBuilder().toolChoice(ToolChoice.auto()).build()))
        .path("tool_choice").asText()).isEqualTo("auto");
    assertThat(bodyOf(send(provider(), base.toBuilder().toolChoice(ToolChoice.none()).build()))
        .path("tool_choice").asText()).isEqualTo("none");
    assertThat(bodyOf(send(provider(), base.toBuilder().toolChoice(ToolChoice.required()).build()))
        .path("tool_choice").asText()).isEqualTo("required");
    assertThat(bodyOf(send(provider(), base.toBuilder().responseFormat(ResponseFormat.jsonObject())
        .build())).path("text")).isEqualTo(json("{\"format\":{\"type\":\"json_object\"}}"));
    JsonNode plain = bodyOf(send(provider(), simpleRequest()));
    assertThat(plain.has("tools")).isFalse();
    assertThat(plain.has("tool_choice")).isFalse();
    assertThat(plain.has("text")).isFalse();
    assertThat(plain.has("instructions")).isFalse();
    assertThat(plain.has("temperature")).isFalse();
    assertThat(plain.has("max_output_tokens")).isFalse();
  }

  @Test
  void stopSequencesAreRefusedBeforeAnythingIsSent() {
    ChatRequest request = simpleRequest().toBuilder().stop(List.of("END")).build();
    assertThatThrownBy(() -> provider().chat(request, CallContext.standalone(false)))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("stop");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void rejectsPartsARoleCannotHold() {
    ChatRequest imageInAssistant = simpleRequest().toBuilder()
        .message(Message.assistant(List.of(ContentPart.Image.ofUrl("https://example.com/a.png"))))
        .build();
    assertThatThrownBy(() -> provider().chat(imageInAssistant, CallContext.standalone(false)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Image");
    ChatRequest textInTool = simpleRequest().toBuilder()
        .message(new Message(Role.TOOL, List.of(new ContentPart.Text("x")))).build();
    assertThatThrownBy(() -> provider().chat(textInTool, CallContext.standalone(false)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("tool message");
    ChatRequest badSchema = simpleRequest().toBuilder()
        .tool(new ToolDefinition("f", null, "{not json", null)).build();
    assertThatThrownBy(() -> provider().chat(badSchema, CallContext.standalone(false)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("parametersSchema");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRecordedAnswerGoesBackAsStatelessInputItems() throws Exception {
    server.enqueue(OpenAiResponsesTestSupport.json(200, ConformanceFiles.text(
        ConformanceFiles.file("openai-responses", "response-reasoning-function-calls.json"))));
    OpenAiResponsesChatProvider provider = provider();
    ChatResponse answer = provider.chat(simpleRequest(), CallContext.standalone(false));
    server.takeRequest(5, TimeUnit.SECONDS);
    ContentPart.Thinking thinking = (ContentPart.Thinking) answer.message().content().get(0);

    JsonNode body = bodyOf(send(provider, simpleRequest().toBuilder()
        .message(answer.message()).user("Thanks").build()));
    JsonNode input = body.path("input");
    assertThat(input).hasSize(4);
    JsonNode reasoning = input.get(1);
    assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
    assertThat(reasoning.has("id")).as("no item id with store=false").isFalse();
    assertThat(reasoning.path("encrypted_content").asText()).isEqualTo(thinking.signature());
    assertThat(reasoning.path("summary").get(0).path("text").asText()).isEqualTo(thinking.text());
    assertThat(input.get(2)).isEqualTo(json("{\"type\":\"message\",\"role\":\"assistant\",\"content\":"
        + "[{\"type\":\"output_text\",\"text\":" + OpenAiResponsesTestSupport.quote(answer.text()) + "}]}"));
  }
}

package dev.llmgateway.provider.bedrock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.UnsupportedFeatureException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockRequestEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ErrorContext CONTEXT = ErrorContext.of("bedrock", "m");
  private static final ToolDefinition WEATHER = ToolDefinition.of("weather", "Current weather",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

  private final BedrockRequestEncoder encoder = new BedrockRequestEncoder(MAPPER);

  private JsonNode encode(ChatRequest request) {
    return encoder.encode(request, CONTEXT);
  }

  private static ChatRequest.Builder base() {
    return ChatRequest.builder().model("m");
  }

  @Test
  void minimalRequestHasOnlyMessages() {
    JsonNode body = encode(base().user("Hello").build());
    assertThat(body.toString())
        .isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}");
  }

  @Test
  void systemMessagesBecomeSystemBlocksWhereverTheyAre() {
    JsonNode body = encode(base().system("Be brief.").user("Hi").system("Use French.").build());
    assertThat(body.get("system").toString())
        .isEqualTo("[{\"text\":\"Be brief.\"},{\"text\":\"Use French.\"}]");
    assertThat(body.get("messages")).hasSize(1);
  }

  @Test
  void inferenceConfigCarriesTheSetParametersOnly() {
    JsonNode body = encode(base().user("Hi").maxTokens(256).temperature(0.2).topP(0.9)
        .stop(List.of("END", "STOP")).seed(7L).frequencyPenalty(0.5).presencePenalty(0.1)
        .parallelToolCalls(false).build());
    assertThat(body.get("inferenceConfig").toString()).isEqualTo(
        "{\"maxTokens\":256,\"temperature\":0.2,\"topP\":0.9,\"stopSequences\":[\"END\",\"STOP\"]}");
    assertThat(body.has("seed")).isFalse();
    assertThat(body.size()).isEqualTo(2);
    assertThat(encode(base().user("Hi").temperature(0.0).build()).get("inferenceConfig").toString())
        .isEqualTo("{\"temperature\":0.0}");
  }

  @Test
  void toolsAndEachToolChoice() {
    JsonNode body = encode(base().user("Weather?").tool(WEATHER).build());
    assertThat(body.get("toolConfig").toString()).isEqualTo("{\"tools\":[{\"toolSpec\":{\"name\":"
        + "\"weather\",\"description\":\"Current weather\",\"inputSchema\":{\"json\":{\"type\":"
        + "\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}}]}");
    assertThat(encode(base().user("x").tool(WEATHER).toolChoice(ToolChoice.auto()).build())
        .at("/toolConfig/toolChoice").toString()).isEqualTo("{\"auto\":{}}");
    assertThat(encode(base().user("x").tool(WEATHER).toolChoice(ToolChoice.required()).build())
        .at("/toolConfig/toolChoice").toString()).isEqualTo("{\"any\":{}}");
    assertThat(encode(base().user("x").tool(WEATHER).toolChoice(ToolChoice.tool("weather")).build())
        .at("/toolConfig/toolChoice").toString()).isEqualTo("{\"tool\":{\"name\":\"weather\"}}");
  }

  @Test
  void toolChoiceNoneLeavesTheToolsOut() {
    JsonNode body = encode(base().user("x").tool(WEATHER).toolChoice(ToolChoice.none()).build());
    assertThat(body.has("toolConfig")).isFalse();
  }

  @Test
  void toolHistoryWithoutToolsStillSendsTheToolConfigConverseRequires() {
    ChatRequest request = base()
        .user("Weather in Paris?")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("t1", "weather", "{\"city\":\"Paris\"}"),
            new ContentPart.ToolCall("t2", "clock", ""))))
        .message(Message.toolResult("t1", "weather", "{\"temp\":21}"))
        .message(new Message(Role.TOOL, List.of(new ContentPart.ToolResult("t2", null, "12:00", false))))
        .user("Thanks. Now just chat.")
        .tool(WEATHER)
        .toolChoice(ToolChoice.none())
        .build();
    JsonNode body = encode(request);
    JsonNode tools = body.at("/toolConfig/tools");
    assertThat(tools).hasSize(2);
    assertThat(tools.get(0).at("/toolSpec/name").asText()).isEqualTo("weather");
    assertThat(tools.get(0).at("/toolSpec/inputSchema/json/required/0").asText()).isEqualTo("city");
    assertThat(tools.get(1).at("/toolSpec/name").asText()).isEqualTo("clock");
    assertThat(tools.get(1).at("/toolSpec/inputSchema/json").toString())
        .isEqualTo(ToolDefinition.EMPTY_PARAMETERS);
    assertThat(body.at("/toolConfig").has("toolChoice")).isFalse();
  }

  @Test
  void conversationWithToolsReasoningAndMergedTurns() {
    ChatRequest request = base()
        .user("Weather in Paris?")
        .message(Message.assistant(List.of(
            new ContentPart.Thinking("User wants weather.", "sig-abc", false),
            new ContentPart.Thinking("", "cmVkYWN0ZWQ=", true),
            new ContentPart.Thinking("unsigned, from elsewhere", null, false),
            new ContentPart.Text(""),
            new ContentPart.ToolCall("t1", "weather", "{\"city\":\"Paris\"}"),
            new ContentPart.ToolCall("t2", "weather", "  "))))
        .message(Message.toolResult("t1", "weather", "{\"temp\":21}"))
        .message(new Message(Role.TOOL,
            List.of(new ContentPart.ToolResult("t2", "weather", "city not found", true))))
        .user("And tomorrow?")
        .tool(WEATHER)
        .build();
    JsonNode messages = encode(request).get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(1).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":["
        + "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"User wants weather.\",\"signature\":\"sig-abc\"}}},"
        + "{\"reasoningContent\":{\"redactedContent\":\"cmVkYWN0ZWQ=\"}},"
        + "{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"weather\",\"input\":{\"city\":\"Paris\"}}},"
        + "{\"toolUse\":{\"toolUseId\":\"t2\",\"name\":\"weather\",\"input\":{}}}]}");
    assertThat(messages.get(2).toString()).isEqualTo("{\"role\":\"user\",\"content\":["
        + "{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":[{\"json\":{\"temp\":21}}]}},"
        + "{\"toolResult\":{\"toolUseId\":\"t2\",\"content\":[{\"text\":\"city not found\"}],"
        + "\"status\":\"error\"}},"
        + "{\"text\":\"And tomorrow?\"}]}");
  }

  @Test
  void imagesBecomeBytesOrS3Locations() {
    ChatRequest request = base().message(Message.user(
        new ContentPart.Text("What is this?"),
        ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo="),
        ContentPart.Image.ofUrl("data:image/jpeg;base64,/9j/4AAQ"),
        ContentPart.Image.ofUrl("s3://bucket/photos/cat.webp"))).build();
    JsonNode content = encode(request).at("/messages/0/content");
    assertThat(content.get(1).toString())
        .isEqualTo("{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"iVBORw0KGgo=\"}}}");
    assertThat(content.get(2).toString())
        .isEqualTo("{\"image\":{\"format\":\"jpeg\",\"source\":{\"bytes\":\"/9j/4AAQ\"}}}");
    assertThat(content.get(3).toString()).isEqualTo("{\"image\":{\"format\":\"webp\",\"source\":"
        + "{\"s3Location\":{\"uri\":\"s3://bucket/photos/cat.webp\"}}}}");
  }

  @Test
  void httpImageUrlsAndUnknownFormatsAreUnsupported() {
    assertThatThrownBy(() -> encode(base().message(Message.user(
        ContentPart.Image.ofUrl("https://example.com/cat.png"))).build()))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("s3://");
    assertThatThrownBy(() -> encode(base().message(Message.user(
        ContentPart.Image.ofBase64("image/bmp", "Qk0="))).build()))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("image/bmp");
  }

  @Test
  void jsonResponseFormatsAreUnsupportedButTextIsFine() {
    assertThatThrownBy(() -> encode(base().user("x").responseFormat(ResponseFormat.jsonObject())
        .build())).isInstanceOf(UnsupportedFeatureException.class);
    assertThatThrownBy(() -> encode(base().user("x")
        .responseFormat(ResponseFormat.jsonSchema("a", "{\"type\":\"object\"}")).build()))
        .isInstanceOf(UnsupportedFeatureException.class);
    assertThat(encode(base().user("x").responseFormat(ResponseFormat.text()).build()).has("outputConfig"))
        .isFalse();
  }

  @Test
  void partsInTheWrongRoleAndBadArgumentsFail() {
    assertThatThrownBy(() -> encode(base().message(Message.user(
        new ContentPart.ToolCall("t", "weather", "{}"))).build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> encode(base().message(new Message(Role.TOOL,
        List.of(new ContentPart.Text("x")))).build())).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> encode(base().user("x").message(Message.assistant(List.of(
        new ContentPart.ToolCall("t", "weather", "[1,2]")))).build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a JSON object")
        .hasMessageNotContaining("[1,2]");
  }

  @Test
  void providerOptionsGoTopLevelOrIntoAdditionalModelRequestFields() {
    ChatRequest request = base().user("x").maxTokens(100)
        .providerOption("top_k", 40)
        .providerOption("thinking", Map.of("type", "enabled", "budget_tokens", 1024))
        .providerOption("additionalModelRequestFields", Map.of("anthropic_beta", List.of("b1")))
        .providerOption("inferenceConfig", Map.of("temperature", 0.5))
        .providerOption("guardrailConfig", Map.of("guardrailIdentifier", "g1", "guardrailVersion", "1"))
        .providerOption("serviceTier", Map.of("type", "priority"))
        .build();
    JsonNode body = encode(request);
    assertThat(body.at("/additionalModelRequestFields/top_k").asInt()).isEqualTo(40);
    assertThat(body.at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(1024);
    assertThat(body.at("/additionalModelRequestFields/anthropic_beta/0").asText()).isEqualTo("b1");
    // objects merge into the field the adapter wrote
    assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(100);
    assertThat(body.at("/inferenceConfig/temperature").asDouble()).isEqualTo(0.5);
    assertThat(body.at("/guardrailConfig/guardrailIdentifier").asText()).isEqualTo("g1");
    assertThat(body.at("/serviceTier/type").asText()).isEqualTo("priority");
    assertThat(body.has("top_k")).isFalse();
    assertThat(BedrockRequestEncoder.TOP_LEVEL_FIELDS).contains("additionalModelRequestFields",
        "additionalModelResponseFieldPaths", "guardrailConfig", "inferenceConfig", "messages",
        "outputConfig", "performanceConfig", "promptVariables", "requestMetadata", "serviceTier",
        "system", "toolConfig");
  }
}

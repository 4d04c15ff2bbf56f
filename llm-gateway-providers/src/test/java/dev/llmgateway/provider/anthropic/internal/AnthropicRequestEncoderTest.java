package dev.llmgateway.provider.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
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

class AnthropicRequestEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ErrorContext CONTEXT = ErrorContext.of("anthropic", "claude-x");
  private static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

  private final AnthropicRequestEncoder encoder = new AnthropicRequestEncoder(JSON, 4096);

  @Test
  void mapsAFullConversation() throws Exception {
    ChatRequest request = ChatRequest.builder()
        .model("claude-sonnet-4-5")
        .system("You are terse.")
        .message(Message.user(new ContentPart.Text("What is in these pictures, and the weather?"),
            ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo="),
            ContentPart.Image.ofUrl("https://example.com/cat.jpg"),
            ContentPart.Image.ofUrl("data:image/jpeg;base64,/9j/4AAQ")))
        .message(Message.assistant(List.of(
            new ContentPart.Thinking("Two images; call both tools.", "sig-abc", false),
            new ContentPart.Thinking("", "redacted-data", true),
            new ContentPart.Thinking("foreign reasoning without signature", null, false),
            new ContentPart.Text(""),
            new ContentPart.Text("Checking."),
            new ContentPart.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
            new ContentPart.ToolCall("toolu_2", "get_time", ""))))
        .message(Message.toolResult("toolu_1", "get_weather", "{\"temp\":21}"))
        .message(new Message(Role.TOOL,
            List.of(new ContentPart.ToolResult("toolu_2", "get_time", "clock broken", true))))
        .message(Message.user("Thanks, and?"))
        .system("Answer in English.")
        .tool(new ToolDefinition("get_weather", "Weather by city", WEATHER_SCHEMA, true))
        .tool(ToolDefinition.of("get_time", "Current time", ToolDefinition.EMPTY_PARAMETERS))
        .toolChoice(ToolChoice.tool("get_weather"))
        .parallelToolCalls(false)
        .temperature(0.2)
        .topP(0.9)
        .maxTokens(512)
        .stop(List.of("END", "STOP"))
        .seed(42L)
        .frequencyPenalty(0.5)
        .metadata(RequestMetadata.EMPTY.withUser("user-123").withTenant("acme"))
        .providerOption("thinking", Map.of("type", "enabled", "budget_tokens", 256))
        .providerOption("top_k", 5)
        .build();

    JsonNode body = encoder.encode(request, false, CONTEXT);

    assertThat(body).isEqualTo(JSON.readTree("""
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 512,
          "system": "You are terse.\\n\\nAnswer in English.",
          "messages": [
            {"role": "user", "content": [
              {"type": "text", "text": "What is in these pictures, and the weather?"},
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
              {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
              {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"}}
            ]},
            {"role": "assistant", "content": [
              {"type": "thinking", "thinking": "Two images; call both tools.", "signature": "sig-abc"},
              {"type": "redacted_thinking", "data": "redacted-data"},
              {"type": "text", "text": "Checking."},
              {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
              {"type": "tool_use", "id": "toolu_2", "name": "get_time", "input": {}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_1", "content": "{\\"temp\\":21}"},
              {"type": "tool_result", "tool_use_id": "toolu_2", "content": "clock broken", "is_error": true},
              {"type": "text", "text": "Thanks, and?"}
            ]}
          ],
          "tools": [
            {"name": "get_weather", "description": "Weather by city", "strict": true,
             "input_schema": {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
            {"name": "get_time", "description": "Current time",
             "input_schema": {"type":"object","properties":{}}}
          ],
          "tool_choice": {"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true},
          "temperature": 0.2,
          "top_p": 0.9,
          "stop_sequences": ["END", "STOP"],
          "metadata": {"user_id": "user-123"},
          "thinking": {"type": "enabled", "budget_tokens": 256},
          "top_k": 5
        }"""));
  }

  @Test
  void defaultMaxTokensIsUsedWhenTheRequestHasNone() {
    JsonNode body = encoder.encode(ChatRequest.builder().model("m").user("hi").build(), true, CONTEXT);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(4096);
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.get("messages")).hasSize(1);
    assertThat(body.at("/messages/0/content").asText()).isEqualTo("hi");
    assertThat(body.has("system")).isFalse();
    assertThat(body.has("tools")).isFalse();
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(new AnthropicRequestEncoder(JSON, 77)
        .encode(ChatRequest.builder().model("m").user("hi").build(), false, CONTEXT)
        .get("max_tokens").asInt()).isEqualTo(77);
  }

  @Test
  void toolChoiceModes() {
    assertThat(toolChoice(ToolChoice.auto(), null)).isEqualTo(obj("{\"type\":\"auto\"}"));
    assertThat(toolChoice(ToolChoice.required(), null)).isEqualTo(obj("{\"type\":\"any\"}"));
    assertThat(toolChoice(ToolChoice.none(), false)).isEqualTo(obj("{\"type\":\"none\"}"));
    assertThat(toolChoice(ToolChoice.tool("t"), null))
        .isEqualTo(obj("{\"type\":\"tool\",\"name\":\"t\"}"));
    assertThat(toolChoice(ToolChoice.required(), false))
        .isEqualTo(obj("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
    assertThat(toolChoice(null, false))
        .isEqualTo(obj("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    assertThat(toolChoice(null, true)).isNull();
    assertThat(toolChoice(null, null)).isNull();
  }

  @Test
  void toolChoiceIsNotSentWithoutTools() {
    JsonNode body = encoder.encode(ChatRequest.builder().model("m").user("hi")
        .toolChoice(ToolChoice.none()).parallelToolCalls(false).build(), false, CONTEXT);
    assertThat(body.has("tool_choice")).isFalse();
  }

  @Test
  void jsonSchemaBecomesOutputConfigFormat() {
    String schema = "{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}";
    JsonNode body = encoder.encode(ChatRequest.builder().model("m").user("ids?")
        .responseFormat(ResponseFormat.jsonSchema("ids", schema)).build(), false, CONTEXT);
    assertThat(body.get("output_config"))
        .isEqualTo(obj("{\"format\":{\"type\":\"json_schema\",\"schema\":" + schema + "}}"));
    JsonNode text = encoder.encode(ChatRequest.builder().model("m").user("x")
        .responseFormat(ResponseFormat.text()).build(), false, CONTEXT);
    assertThat(text.has("output_config")).isFalse();
  }

  @Test
  void jsonObjectFormatIsUnsupported() {
    ChatRequest request = ChatRequest.builder().model("m").user("x")
        .responseFormat(ResponseFormat.jsonObject()).build();
    assertThatThrownBy(() -> encoder.encode(request, false, CONTEXT))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("output_config.format")
        .satisfies(e -> assertThat(((UnsupportedFeatureException) e).provider()).isEqualTo("anthropic"));
  }

  @Test
  void toolArgumentsThatAreNotAnObjectFailWithoutEchoingThem() {
    ChatRequest request = ChatRequest.builder().model("m").user("x")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("toolu_1", "make_file",
            "{\"filename\": \"taxes.txt\", \"secret"))))
        .build();
    assertThatThrownBy(() -> encoder.encode(request, false, CONTEXT))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("toolu_1")
        .hasMessageNotContaining("taxes.txt");
  }

  @Test
  void partsInTheWrongRoleFail() {
    assertThatThrownBy(() -> encoder.encode(ChatRequest.builder().model("m")
        .message(new Message(Role.SYSTEM, List.of(ContentPart.Image.ofUrl("https://x/y.png"))))
        .user("x").build(), false, CONTEXT))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("system");
    assertThatThrownBy(() -> encoder.encode(ChatRequest.builder().model("m")
        .message(new Message(Role.TOOL, List.of(new ContentPart.Text("loose text"))))
        .build(), false, CONTEXT))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("tool");
    assertThatThrownBy(() -> encoder.encode(ChatRequest.builder().model("m")
        .message(Message.user(new ContentPart.ToolCall("c", "n", "{}")))
        .build(), false, CONTEXT))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("user");
  }

  @Test
  void assistantTurnOfForeignThinkingOnlyIsDropped() {
    JsonNode body = encoder.encode(ChatRequest.builder().model("m").user("a")
        .message(Message.assistant(List.of(new ContentPart.Thinking("hm", null, false))))
        .user("b").build(), false, CONTEXT);
    // the two user turns around the dropped assistant turn merge into one
    assertThat(body.get("messages")).isEqualTo(obj("""
        [{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]"""));
  }

  @Test
  void providerOptionsReplaceFieldsOfTheSameName() {
    JsonNode body = encoder.encode(ChatRequest.builder().model("m").user("x").maxTokens(10)
        .providerOption("max_tokens", 20)
        .providerOption("output_config", Map.of("effort", "low")).build(), false, CONTEXT);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(20);
    assertThat(body.get("output_config")).isEqualTo(obj("{\"effort\":\"low\"}"));
  }

  private JsonNode toolChoice(ToolChoice choice, Boolean parallel) {
    ChatRequest request = ChatRequest.builder().model("m").user("x")
        .tool(ToolDefinition.of("t", "d", ToolDefinition.EMPTY_PARAMETERS))
        .toolChoice(choice).parallelToolCalls(parallel).build();
    return encoder.encode(request, false, CONTEXT).get("tool_choice");
  }

  private static JsonNode obj(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

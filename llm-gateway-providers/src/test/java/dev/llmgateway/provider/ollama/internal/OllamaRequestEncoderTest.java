package dev.llmgateway.provider.ollama.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OllamaRequestEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ErrorContext CTX = ErrorContext.of("ollama", "llama3.2");
  private static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

  private final OllamaRequestEncoder encoder = new OllamaRequestEncoder(MAPPER, null);

  @Test
  void mapsRolesImagesToolCallsAndToolResults() throws Exception {
    ChatRequest request = ChatRequest.builder()
        .model("llava")
        .system("Be brief.")
        .message(Message.user(new ContentPart.Text("What is "), new ContentPart.Text("this?"),
            ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo="),
            ContentPart.Image.ofUrl("data:image/jpeg;base64,/9j/4AAQ")))
        .message(Message.assistant(List.of(
            new ContentPart.Thinking("Need the weather.", null, false),
            new ContentPart.Text("Checking."),
            new ContentPart.ToolCall("call_0", "weather", "{\"city\":\"Paris\"}"),
            new ContentPart.ToolCall("call_1", "clock", " "))))
        .message(new Message(Role.TOOL, List.of(
            new ContentPart.ToolResult("call_0", "weather", "{\"temp\":21}", false),
            new ContentPart.ToolResult("call_1", null, "12:00", true))))
        .user("Thanks")
        .build();
    JsonNode body = encoder.encode(request, false, CTX);
    assertThat(body.get("messages")).isEqualTo(MAPPER.readTree("""
        [
          {"role":"system","content":"Be brief."},
          {"role":"user","content":"What is this?","images":["iVBORw0KGgo=","/9j/4AAQ"]},
          {"role":"assistant","content":"Checking.","thinking":"Need the weather.",
           "tool_calls":[{"function":{"name":"weather","arguments":{"city":"Paris"}}},
                         {"function":{"name":"clock","arguments":{}}}]},
          {"role":"tool","content":"{\\"temp\\":21}","tool_name":"weather"},
          {"role":"tool","content":"12:00","tool_name":"clock"},
          {"role":"user","content":"Thanks"}
        ]"""));
  }

  @Test
  void toolResultsComeBeforeTheRestOfTheirMessage() throws Exception {
    ChatRequest request = ChatRequest.builder().model("m")
        .message(Message.user(new ContentPart.ToolResult("c", "lookup", "42", false),
            new ContentPart.Text("and now?")))
        .build();
    assertThat(encoder.encode(request, false, CTX).get("messages")).isEqualTo(MAPPER.readTree("""
        [{"role":"tool","content":"42","tool_name":"lookup"},{"role":"user","content":"and now?"}]"""));
  }

  @Test
  void toolsInOpenAiShapeAndToolChoice() throws Exception {
    ChatRequest.Builder b = ChatRequest.builder().model("m").user("hi")
        .tool(ToolDefinition.of("weather", "Current weather", WEATHER_SCHEMA))
        .tool(new ToolDefinition("noop", null, ToolDefinition.EMPTY_PARAMETERS, true));
    JsonNode body = encoder.encode(b.build(), false, CTX);
    assertThat(body.get("tools")).isEqualTo(MAPPER.readTree("""
        [{"type":"function","function":{"name":"weather","description":"Current weather",
          "parameters":""" + WEATHER_SCHEMA + """
        }},
         {"type":"function","function":{"name":"noop","parameters":{"type":"object","properties":{}}}}]"""));
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(encoder.encode(b.toolChoice(ToolChoice.auto()).build(), false, CTX).has("tools"))
        .isTrue();
    assertThat(encoder.encode(b.toolChoice(ToolChoice.none()).build(), false, CTX).has("tools"))
        .isFalse();
    assertThatThrownBy(() -> encoder.encode(b.toolChoice(ToolChoice.required()).build(), false, CTX))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("tool_choice");
    assertThatThrownBy(() -> encoder.encode(b.toolChoice(ToolChoice.tool("weather")).build(), false,
        CTX)).isInstanceOf(UnsupportedFeatureException.class);
  }

  @Test
  void formatForJsonObjectAndJsonSchema() throws Exception {
    ChatRequest.Builder b = ChatRequest.builder().model("m").user("hi");
    assertThat(encoder.encode(b.build(), false, CTX).has("format")).isFalse();
    assertThat(encoder.encode(b.responseFormat(ResponseFormat.text()).build(), false, CTX)
        .has("format")).isFalse();
    assertThat(encoder.encode(b.responseFormat(ResponseFormat.jsonObject()).build(), false, CTX)
        .get("format").asText()).isEqualTo("json");
    assertThat(encoder.encode(b.responseFormat(ResponseFormat.jsonSchema("weather", WEATHER_SCHEMA))
        .build(), false, CTX).get("format")).isEqualTo(MAPPER.readTree(WEATHER_SCHEMA));
  }

  @Test
  void samplingParametersGoIntoOptions() throws Exception {
    ChatRequest request = ChatRequest.builder().model("m").user("hi")
        .temperature(0.2).topP(0.9).maxTokens(256).stop(List.of("\n\n", "User:")).seed(42L)
        .presencePenalty(0.5).frequencyPenalty(0.25)
        .build();
    // round-trip so that number node types (a long seed) compare as the wire reads them
    JsonNode body = MAPPER.readTree(encoder.encode(request, true, CTX).toString());
    assertThat(body.get("options")).isEqualTo(MAPPER.readTree("""
        {"temperature":0.2,"top_p":0.9,"num_predict":256,"stop":["\\n\\n","User:"],"seed":42,
         "presence_penalty":0.5,"frequency_penalty":0.25}"""));
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(encoder.encode(ChatRequest.builder().model("m").user("hi").build(), false, CTX)
        .has("options")).isFalse();
  }

  @Test
  void providerOptionsMergeAtTopLevelAndIntoOptionsButNeverChangeStream() {
    ChatRequest request = ChatRequest.builder().model("m").user("hi").temperature(0.7)
        .providerOption("think", "high")
        .providerOption("keep_alive", "-1")
        .providerOption("truncate", false)
        .providerOption("options", Map.of("num_ctx", 32768, "temperature", 0.1))
        .providerOption("stream", true)
        .build();
    ObjectNode body = new OllamaRequestEncoder(MAPPER, Duration.ofMinutes(5))
        .encode(request, false, CTX);
    assertThat(body.get("think").asText()).isEqualTo("high");
    assertThat(body.get("keep_alive").asText()).isEqualTo("-1");
    assertThat(body.get("truncate").asBoolean(true)).isFalse();
    assertThat(body.get("options").get("num_ctx").asInt()).isEqualTo(32768);
    assertThat(body.get("options").get("temperature").asDouble()).isEqualTo(0.1);
    assertThat(body.get("stream").asBoolean()).isFalse();
  }

  @Test
  void nonMapOptionsProviderOptionFails() {
    ChatRequest request = ChatRequest.builder().model("m").user("hi")
        .providerOption("options", "num_ctx=4096").build();
    assertThatThrownBy(() -> encoder.encode(request, false, CTX))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("options");
  }

  @Test
  void keepAliveIsAGoDuration() {
    assertThat(OllamaRequestEncoder.goDuration(Duration.ofMinutes(5))).isEqualTo("300s");
    assertThat(OllamaRequestEncoder.goDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(OllamaRequestEncoder.goDuration(Duration.ZERO)).isEqualTo("0s");
    assertThat(OllamaRequestEncoder.goDuration(Duration.ofSeconds(-1))).isEqualTo("-1s");
    ChatRequest request = ChatRequest.builder().model("m").user("hi").build();
    assertThat(new OllamaRequestEncoder(MAPPER, Duration.ofHours(1)).encode(request, false, CTX)
        .get("keep_alive").asText()).isEqualTo("3600s");
    assertThat(encoder.encode(request, false, CTX).has("keep_alive")).isFalse();
  }

  @Test
  void imageUrlsAndBadArgumentsAreRefused() {
    ChatRequest url = ChatRequest.builder().model("m")
        .message(Message.user(ContentPart.Image.ofUrl("https://example.com/a.png"))).build();
    assertThatThrownBy(() -> encoder.encode(url, false, CTX))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("ofBase64");
    ChatRequest notBase64 = ChatRequest.builder().model("m")
        .message(Message.user(ContentPart.Image.ofUrl("data:image/svg+xml,<svg/>"))).build();
    assertThatThrownBy(() -> encoder.encode(notBase64, false, CTX))
        .isInstanceOf(UnsupportedFeatureException.class);
    ChatRequest badArgs = ChatRequest.builder().model("m").user("hi")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("c", "f", "[1,2]")))).build();
    assertThatThrownBy(() -> encoder.encode(badArgs, false, CTX))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("JSON object");
    ChatRequest brokenArgs = ChatRequest.builder().model("m").user("hi")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("c", "f", "{\"secret-ish")))).build();
    assertThatThrownBy(() -> encoder.encode(brokenArgs, false, CTX))
        .isInstanceOf(InvalidRequestException.class).hasMessageNotContaining("secret-ish");
  }
}

package dev.llmgateway.provider.gemini.internal;

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
import dev.llmgateway.error.InvalidRequestException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiRequestEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":"
      + "{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}";

  private final GeminiRequestEncoder encoder = new GeminiRequestEncoder(MAPPER);

  @Test
  void mapsAFullConversationOntoContentsAndSystemInstruction() {
    ChatRequest request = ChatRequest.builder()
        .model("gemini-2.5-flash")
        .system("Be brief.")
        .message(Message.user(new ContentPart.Text("What is in this picture?"),
            ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo=")))
        .message(Message.assistant(List.of(new ContentPart.Text("Let me check the weather."),
            new ContentPart.ToolCall("call_0", "weather", "{\"city\":\"Paris\"}"),
            new ContentPart.ToolCall("call_1", "weather", "{\"city\":\"Tokyo\"}"))))
        .message(Message.toolResult("call_0", "weather", "{\"temp\":21}"))
        .message(new Message(Role.TOOL,
            List.of(new ContentPart.ToolResult("call_1", null, "sunny", false))))
        .message(Message.system("Answer in French."))
        .build();

    JsonNode body = encoder.encode(request);

    assertThat(body.get("systemInstruction")).isEqualTo(json(
        "{\"parts\":[{\"text\":\"Be brief.\"},{\"text\":\"Answer in French.\"}]}"));
    assertThat(body.get("contents")).isEqualTo(json("""
        [
          {"role":"user","parts":[
            {"text":"What is in this picture?"},
            {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]},
          {"role":"model","parts":[
            {"text":"Let me check the weather."},
            {"functionCall":{"name":"weather","args":{"city":"Paris"}}},
            {"functionCall":{"name":"weather","args":{"city":"Tokyo"}}}]},
          {"role":"user","parts":[
            {"functionResponse":{"name":"weather","response":{"temp":21}}},
            {"functionResponse":{"name":"weather","response":{"result":"sunny"}}}]}
        ]"""));
    assertThat(body.has("tools")).isFalse();
    assertThat(body.has("generationConfig")).isFalse();
    assertThat(body.has("model")).isFalse();
  }

  @Test
  void writesToolsToolChoiceAndGenerationConfig() {
    ChatRequest request = ChatRequest.builder()
        .model("gemini-2.5-flash")
        .user("Weather in Paris as JSON")
        .tool(ToolDefinition.of("weather", "Current weather", WEATHER_SCHEMA))
        .tool(new ToolDefinition("now", null, ToolDefinition.EMPTY_PARAMETERS, null))
        .toolChoice(ToolChoice.tool("weather"))
        .temperature(0.2)
        .topP(0.9)
        .maxTokens(256)
        .stop(List.of("END", "STOP"))
        .seed(42L)
        .presencePenalty(0.5)
        .frequencyPenalty(-0.5)
        .responseFormat(ResponseFormat.jsonSchema("weather", WEATHER_SCHEMA))
        .parallelToolCalls(false)
        .build();

    JsonNode body = encoder.encode(request);

    assertThat(body.get("tools")).isEqualTo(json("[{\"functionDeclarations\":["
        + "{\"name\":\"weather\",\"description\":\"Current weather\",\"parametersJsonSchema\":"
        + WEATHER_SCHEMA + "},"
        + "{\"name\":\"now\",\"parametersJsonSchema\":" + ToolDefinition.EMPTY_PARAMETERS + "}]}]"));
    assertThat(body.get("toolConfig")).isEqualTo(json("{\"functionCallingConfig\":"
        + "{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"weather\"]}}"));
    assertThat(body.get("generationConfig")).isEqualTo(json("{\"temperature\":0.2,\"topP\":0.9,"
        + "\"maxOutputTokens\":256,\"stopSequences\":[\"END\",\"STOP\"],\"seed\":42,"
        + "\"presencePenalty\":0.5,\"frequencyPenalty\":-0.5,"
        + "\"responseMimeType\":\"application/json\",\"responseJsonSchema\":" + WEATHER_SCHEMA + "}"));
    assertThat(body.toString()).doesNotContain("parallel");
  }

  @Test
  void mapsEachToolChoiceMode() {
    assertThat(toolMode(ToolChoice.auto())).isEqualTo(json("{\"mode\":\"AUTO\"}"));
    assertThat(toolMode(ToolChoice.none())).isEqualTo(json("{\"mode\":\"NONE\"}"));
    assertThat(toolMode(ToolChoice.required())).isEqualTo(json("{\"mode\":\"ANY\"}"));
  }

  @Test
  void jsonObjectFormatSetsOnlyTheMimeType() {
    JsonNode body = encoder.encode(ChatRequest.builder().model("m").user("hi")
        .responseFormat(ResponseFormat.jsonObject()).build());
    assertThat(body.get("generationConfig"))
        .isEqualTo(json("{\"responseMimeType\":\"application/json\"}"));
  }

  @Test
  void toolResultFindsItsFunctionNameByCallIdWhenItNamesNone() {
    ChatRequest request = ChatRequest.builder().model("m").user("time?")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("abc", "now", ""))))
        .message(new Message(Role.TOOL,
            List.of(new ContentPart.ToolResult("abc", null, "[1,2]", false))))
        .build();
    JsonNode contents = encoder.encode(request).get("contents");
    assertThat(contents.get(1)).isEqualTo(json(
        "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"now\",\"args\":{}}}]}"));
    assertThat(contents.get(2)).isEqualTo(json("{\"role\":\"user\",\"parts\":[{\"functionResponse\":"
        + "{\"name\":\"now\",\"response\":{\"result\":\"[1,2]\"}}}]}"));
  }

  @Test
  void failedToolResultIsSentUnderError() {
    ChatRequest request = ChatRequest.builder().model("m").user("go")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("c", "f", "{}"))))
        .message(new Message(Role.TOOL, List.of(
            new ContentPart.ToolResult("c", "f", "timed out", true))))
        .build();
    assertThat(encoder.encode(request).at("/contents/2/parts/0/functionResponse/response"))
        .isEqualTo(json("{\"error\":\"timed out\"}"));
  }

  @Test
  void toolResultWithoutAnyKnownNameIsRejected() {
    ChatRequest request = ChatRequest.builder().model("m").user("go")
        .message(new Message(Role.TOOL, List.of(new ContentPart.ToolResult("zz", null, "x", false))))
        .build();
    assertThatThrownBy(() -> encoder.encode(request)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'zz'").hasMessageContaining("toolName");
  }

  @Test
  void signatureOnlyThinkingGoesBackOnThePartBeforeIt() {
    ChatRequest request = ChatRequest.builder().model("m").user("days to new year?")
        .message(Message.assistant(List.of(
            new ContentPart.Thinking("**Planning**", null, false),
            new ContentPart.ToolCall("call_0", "now", "{}"),
            new ContentPart.Thinking("", "SIG-CALL", false),
            new ContentPart.Text("Done."),
            new ContentPart.Thinking("", "SIG-TEXT", false),
            new ContentPart.Thinking("", "SIG-ALONE", false),
            new ContentPart.Thinking("signed thought", "SIG-THOUGHT", false),
            new ContentPart.Thinking("", "anthropic-data", true))))
        .build();
    assertThat(encoder.encode(request).at("/contents/1/parts")).isEqualTo(json("""
        [
          {"text":"**Planning**","thought":true},
          {"functionCall":{"name":"now","args":{}},"thoughtSignature":"SIG-CALL"},
          {"text":"Done.","thoughtSignature":"SIG-TEXT"},
          {"text":"","thoughtSignature":"SIG-ALONE"},
          {"text":"signed thought","thought":true,"thoughtSignature":"SIG-THOUGHT"}
        ]"""));
  }

  @Test
  void imagesByUrlBecomeFileDataOrInlineData() {
    ChatRequest request = ChatRequest.builder().model("m")
        .message(Message.user(
            ContentPart.Image.ofUrl("https://example.com/cat.JPG?size=large"),
            new ContentPart.Image("https://generativelanguage.googleapis.com/v1beta/files/abc", null,
                "image/webp", null),
            ContentPart.Image.ofUrl("data:image/gif;base64,R0lGOD==")))
        .build();
    assertThat(encoder.encode(request).at("/contents/0/parts")).isEqualTo(json("""
        [
          {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/cat.JPG?size=large"}},
          {"fileData":{"mimeType":"image/webp",
                       "fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc"}},
          {"inlineData":{"mimeType":"image/gif","data":"R0lGOD=="}}
        ]"""));
  }

  @Test
  void imageUrlWithoutAnyMediaTypeIsRejectedClearly() {
    ChatRequest request = ChatRequest.builder().model("m")
        .message(Message.user(ContentPart.Image.ofUrl("https://example.com/picture")))
        .build();
    assertThatThrownBy(() -> encoder.encode(request)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("media type").hasMessageContaining("mediaType");
  }

  @Test
  void providerOptionsMergeIntoGenerationConfigAndAddTopLevelFields() {
    ChatRequest request = ChatRequest.builder().model("m").user("hi").temperature(0.7)
        .providerOption("generationConfig", Map.of("thinkingConfig", Map.of("includeThoughts", true)))
        .providerOption("safetySettings", List.of(Map.of("category", "HARM_CATEGORY_HARASSMENT",
            "threshold", "BLOCK_NONE")))
        .build();
    JsonNode body = encoder.encode(request);
    assertThat(body.get("generationConfig")).isEqualTo(json(
        "{\"temperature\":0.7,\"thinkingConfig\":{\"includeThoughts\":true}}"));
    assertThat(body.get("safetySettings")).isEqualTo(json(
        "[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}]"));
  }

  @Test
  void emptyTextIsLeftOutAndAnEmptyAssistantTurnSkipped() {
    ChatRequest request = ChatRequest.builder().model("m").user("a").assistant("").user("b").build();
    assertThat(encoder.encode(request).get("contents")).isEqualTo(json(
        "[{\"role\":\"user\",\"parts\":[{\"text\":\"a\"}]},"
            + "{\"role\":\"user\",\"parts\":[{\"text\":\"b\"}]}]"));
  }

  @Test
  void rejectsWhatGeminiCannotTake() {
    assertThatThrownBy(() -> encoder.encode(ChatRequest.builder().model("m").user("x")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("c", "f", "[1]")))).build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> encoder.encode(ChatRequest.builder().model("m").user("x")
        .seed(1L << 40).build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("32 bits");
    assertThatThrownBy(() -> encoder.encode(ChatRequest.builder().model("m")
        .message(new Message(Role.SYSTEM, List.of(ContentPart.Image.ofUrl("https://x/y.png"))))
        .user("x").build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("system");
    assertThatThrownBy(() -> encoder.encode(ChatRequest.builder().model("m")
        .message(Message.user(new ContentPart.ToolCall("c", "f", "{}"))).build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("only assistant");
  }

  private JsonNode toolMode(ToolChoice choice) {
    ChatRequest.Builder b = ChatRequest.builder().model("m").user("x")
        .tool(ToolDefinition.of("f", "d", ToolDefinition.EMPTY_PARAMETERS)).toolChoice(choice);
    return encoder.encode(b.build()).at("/toolConfig/functionCallingConfig");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}

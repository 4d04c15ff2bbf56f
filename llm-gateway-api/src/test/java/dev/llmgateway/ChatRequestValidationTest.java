package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestValidationTest {

  private static ChatRequest.Builder valid() {
    return ChatRequest.builder().model("openai/gpt-4o-mini").user("hello");
  }

  @Test
  void requestWithoutMessagesNamesTheField() {
    assertThatThrownBy(() -> ChatRequest.builder().model("m").build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("messages");
  }

  @Test
  void blankModelNamesTheField() {
    assertThatThrownBy(() -> valid().model("  ").build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("model");
    assertThatThrownBy(() -> ChatRequest.builder().user("x").build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("model");
  }

  @Test
  void negativeOrZeroMaxTokensNamesTheField() {
    assertThatThrownBy(() -> valid().maxTokens(-5).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("maxTokens").hasMessageContaining("-5");
    assertThatThrownBy(() -> valid().maxTokens(0).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("maxTokens");
  }

  @Test
  void outOfRangeSamplingParametersAreRejected() {
    assertThatThrownBy(() -> valid().temperature(-0.1).build()).hasMessageContaining("temperature");
    assertThatThrownBy(() -> valid().temperature(Double.NaN).build()).hasMessageContaining("temperature");
    assertThatThrownBy(() -> valid().topP(0.0).build()).hasMessageContaining("topP");
    assertThatThrownBy(() -> valid().topP(1.5).build()).hasMessageContaining("topP");
  }

  @Test
  void nullElementsAreNamedWithTheirPosition() {
    assertThatThrownBy(() -> valid().messages(java.util.Arrays.asList(Message.user("a"), null)).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("messages[1]");
  }

  @Test
  void emptyMessageContentIsRejected() {
    assertThatThrownBy(() -> new Message(Role.USER, List.of()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("message.content");
  }

  @Test
  void toolChoiceMustNameADeclaredTool() {
    assertThatThrownBy(() -> valid().toolChoice(ToolChoice.tool("missing")).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'missing'");
    ChatRequest ok = valid().tool(ToolDefinition.of("lookup", "d", ToolDefinition.EMPTY_PARAMETERS))
        .toolChoice(ToolChoice.tool("lookup")).build();
    assertThat(ok.toolChoice().toolName()).isEqualTo("lookup");
  }

  @Test
  void imageNeedsExactlyOneSource() {
    assertThatThrownBy(() -> new ContentPart.Image(null, null, null, null))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new ContentPart.Image(null, "AAAA", null, null))
        .hasMessageContaining("mediaType");
    assertThat(ContentPart.Image.ofBase64("image/png", "AAAA").asUrl()).isEqualTo("data:image/png;base64,AAAA");
    assertThat(ContentPart.Image.ofBase64("image/png", "A".repeat(1000)).toString()).doesNotContain("AAAA");
  }

  @Test
  void defaultsOfABuiltRequestAreTheDocumentedOnes() {
    ChatRequest request = valid().build();
    assertThat(request.tools()).isEmpty();
    assertThat(request.toolChoice()).isNull();
    assertThat(request.temperature()).isNull();
    assertThat(request.topP()).isNull();
    assertThat(request.maxTokens()).isNull();
    assertThat(request.stop()).isEmpty();
    assertThat(request.seed()).isNull();
    assertThat(request.responseFormat()).isNull();
    assertThat(request.metadata()).isEqualTo(RequestMetadata.EMPTY);
    assertThat(request.providerOptions()).isEmpty();
  }

  @Test
  void toBuilderRoundTripsEveryField() {
    ChatRequest request = valid().system("sys").temperature(0.2).topP(0.9).maxTokens(100)
        .stop(List.of("END")).seed(42L).frequencyPenalty(0.1).presencePenalty(0.2)
        .parallelToolCalls(false).responseFormat(ResponseFormat.jsonObject())
        .tool(ToolDefinition.of("t", "d", ToolDefinition.EMPTY_PARAMETERS)).toolChoice(ToolChoice.required())
        .metadata(new RequestMetadata("acme", "u1", "app", Map.of("k", "v")))
        .providerOption("logprobs", true).build();
    assertThat(request.toBuilder().build()).isEqualTo(request);
    assertThat(request.withModel("other").model()).isEqualTo("other");
  }

  @Test
  void requestIsImmutable() {
    ChatRequest request = valid().build();
    assertThatThrownBy(() -> request.messages().add(Message.user("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void jsonSchemaFormatNeedsNameAndSchema() {
    assertThatThrownBy(() -> new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, null, "{}", null))
        .hasMessageContaining("schemaName");
    assertThat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}").strict()).isTrue();
  }
}

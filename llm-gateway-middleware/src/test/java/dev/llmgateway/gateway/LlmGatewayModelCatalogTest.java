package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LlmGatewayModelCatalogTest {

  /** A provider that supports everything on the wire and counts the calls that reach it. */
  private static class CountingProvider implements ChatProvider {
    final String name;
    final AtomicInteger calls = new AtomicInteger();

    CountingProvider(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ProviderCapabilities capabilities() {
      return ProviderCapabilities.ALL;
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      calls.incrementAndGet();
      return ChatResponse.builder().id("r").model(request.model()).provider(name)
          .message(Message.assistant("ok")).finishReason(FinishReason.STOP).rawFinishReason("stop")
          .usage(Usage.of(1, 1)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      calls.incrementAndGet();
      return ChatStream.of(List.of());
    }
  }

  private static final ModelInfo TEXT_ONLY = new ModelInfo("p", "text-only", List.of("text-only-latest"),
      8_000, 1_000, new ModelCapabilities(false, false, false, false),
      ModelPricing.usd(new BigDecimal("0.10"), new BigDecimal("0.40"), LocalDate.of(2026, 11, 26),
          "https://example.com/pricing"), null);
  private static final ModelCatalog CATALOG = ModelCatalog.builder().add(TEXT_ONLY).build();
  private static final ToolDefinition TOOL =
      ToolDefinition.of("lookup", "finds things", ToolDefinition.EMPTY_PARAMETERS);

  private final CountingProvider provider = new CountingProvider("p");

  private LlmGateway gateway(ModelCatalog catalog) {
    return LlmGateway.builder().provider(provider).logging(false).modelCatalog(catalog)
        .alias("cheap", "p/text-only").build();
  }

  private static ChatRequest.Builder ask(String model) {
    return ChatRequest.builder().model(model).user("hi");
  }

  @Test
  void defaultsToTheBundledCatalog() {
    assertThat(LlmGatewayBuilder.DEFAULT_MODEL_CATALOG).isSameAs(ModelCatalog.bundled());
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false).build()) {
      assertThat(gateway.modelCatalog()).isSameAs(ModelCatalog.bundled());
    }
    try (LlmGateway gateway = gateway(CATALOG)) {
      assertThat(gateway.modelCatalog()).isSameAs(CATALOG);
    }
  }

  @Test
  void refusesToolsOnACatalogModelWithoutToolsBeforeTheProviderIsCalled() {
    ChatRequest withTool = ask("p/text-only").tool(TOOL).build();
    try (LlmGateway gateway = gateway(CATALOG)) {
      assertThatThrownBy(() -> gateway.chat(withTool))
          .isInstanceOfSatisfying(UnsupportedFeatureException.class, e -> {
            assertThat(e.getMessage()).startsWith("model p/text-only does not support tools");
            assertThat(e.provider()).isEqualTo("p");
            assertThat(e.model()).isEqualTo("text-only");
            assertThat(e.isRetryable()).isFalse();
          });
      assertThatThrownBy(() -> gateway.stream(withTool)).isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageContaining("does not support tools");
    }
    assertThat(provider.calls).hasValue(0);
  }

  @Test
  void refusesImagesOnATextOnlyModel() {
    ChatRequest withImage = ChatRequest.builder().model("p/text-only")
        .message(Message.user(new ContentPart.Text("what is this?"),
            ContentPart.Image.ofUrl("https://example.com/cat.png")))
        .build();
    try (LlmGateway gateway = gateway(CATALOG)) {
      assertThatThrownBy(() -> gateway.chat(withImage)).isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageStartingWith("model p/text-only does not support images");
    }
    assertThat(provider.calls).hasValue(0);
  }

  @Test
  void refusesJsonSchemaOutputWhereUnsupportedButAllowsJsonObject() {
    try (LlmGateway gateway = gateway(CATALOG)) {
      ChatRequest schema = ask("p/text-only")
          .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}")).build();
      assertThatThrownBy(() -> gateway.chat(schema)).isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageStartingWith("model p/text-only does not support JSON schema output");
      assertThat(provider.calls).hasValue(0);

      gateway.chat(ask("p/text-only").responseFormat(ResponseFormat.jsonObject()).build());
      assertThat(provider.calls).hasValue(1);
    }
  }

  @Test
  void refusesMaxTokensAboveTheModelsOutputLimitNamingBothNumbers() {
    try (LlmGateway gateway = gateway(CATALOG)) {
      assertThatThrownBy(() -> gateway.chat(ask("p/text-only").maxTokens(1_001).build()))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e).isNotInstanceOf(UnsupportedFeatureException.class);
            assertThat(e.getMessage()).startsWith(
                "maxTokens 1001 exceeds the 1000 output tokens model p/text-only can produce");
          });
      assertThat(provider.calls).hasValue(0);

      gateway.chat(ask("p/text-only").maxTokens(1_000).build());
      gateway.chat(ask("p/text-only").build());
      assertThat(provider.calls).hasValue(2);
    }
  }

  @Test
  void checksAliasesDatedSnapshotsAndGatewayAliasesOfACatalogModel() {
    try (LlmGateway gateway = gateway(CATALOG)) {
      for (String model : List.of("p/text-only-latest", "p/text-only-2026-01-15", "cheap")) {
        assertThatThrownBy(() -> gateway.chat(ask(model).tool(TOOL).build()))
            .as(model).isInstanceOf(UnsupportedFeatureException.class)
            .hasMessageContaining("does not support tools")
            .hasMessageContaining("catalog entry p/text-only");
      }
    }
    assertThat(provider.calls).hasValue(0);
  }

  @Test
  void passesModelsTheCatalogDoesNotKnow() {
    try (LlmGateway gateway = gateway(CATALOG)) {
      ChatRequest everything = ChatRequest.builder().model("p/some-new-model")
          .message(Message.user(new ContentPart.Text("look"), ContentPart.Image.ofUrl("https://e.com/a.png")))
          .tool(TOOL).maxTokens(1_000_000)
          .responseFormat(ResponseFormat.jsonSchema("a", "{\"type\":\"object\"}")).build();
      assertThat(gateway.chat(everything).text()).isEqualTo("ok");
      assertThat(gateway.chat(everything.withModel("p/text-only-mini")).text()).isEqualTo("ok");
    }
    assertThat(provider.calls).hasValue(2);
  }

  @Test
  void anEmptyCatalogChecksNothing() {
    try (LlmGateway gateway = gateway(ModelCatalog.empty())) {
      gateway.chat(ask("p/text-only").tool(TOOL).maxTokens(50_000).build());
    }
    assertThat(provider.calls).hasValue(1);
  }

  @Test
  void theBundledCatalogRefusesImagesForO3Mini() {
    CountingProvider openai = new CountingProvider("openai");
    ChatRequest withImage = ChatRequest.builder().model("openai/o3-mini-2025-01-31")
        .message(Message.user(ContentPart.Image.ofUrl("https://example.com/chart.png"))).build();
    try (LlmGateway gateway = LlmGateway.builder().provider(openai).logging(false).build()) {
      assertThatThrownBy(() -> gateway.chat(withImage)).isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageStartingWith("model openai/o3-mini-2025-01-31 does not support images")
          .hasMessageContaining("catalog entry openai/o3-mini");
      assertThatThrownBy(() -> gateway.chat(ask("openai/gpt-4o").maxTokens(20_000).build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("maxTokens 20000 exceeds the 16384 output tokens model openai/gpt-4o");
      gateway.chat(ask("openai/gpt-4o").tool(TOOL).maxTokens(16_384).build());
    }
    assertThat(openai.calls).hasValue(1);
  }

  @Test
  void theProviderCheckStillComesFirst() {
    CountingProvider noTools = new CountingProvider("p") {
      @Override
      public ProviderCapabilities capabilities() {
        return new ProviderCapabilities(false, true, true, true);
      }
    };
    try (LlmGateway gateway = LlmGateway.builder().provider(noTools).logging(false)
        .modelCatalog(CATALOG).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("p/unknown-model").tool(TOOL).build()))
          .isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageStartingWith("provider p does not support tools");
      assertThatThrownBy(() -> gateway.chat(ask("p/text-only").tool(TOOL).build()))
          .isInstanceOf(LlmException.class)
          .hasMessageStartingWith("provider p does not support tools");
    }
    assertThat(noTools.calls).hasValue(0);
  }
}

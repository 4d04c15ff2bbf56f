package dev.llmgateway.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.SharedResources;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class AnthropicProviderFactoryTest {
  private final AnthropicProviderFactory factory = new AnthropicProviderFactory();

  @Test
  void servesTheAnthropicName() {
    assertThat(factory.names()).containsExactly("anthropic");
  }

  @Test
  void readsTheKeyFromTheEnvironmentWhenSettingsHaveNone() {
    SharedResources resources = new SharedResources();
    ProviderSettings settings = ProviderSettings.builder("anthropic")
        .environment(Map.of("ANTHROPIC_API_KEY", "sk-ant-env-key-1234")::get)
        .resources(resources)
        .build();
    AnthropicChatProvider p = (AnthropicChatProvider) factory.create(settings);
    assertThat(p.apiKeyCount()).isEqualTo(1);
    assertThat(p.name()).isEqualTo("anthropic");
    assertThat(p.baseUrl()).isEqualTo(AnthropicChatProvider.DEFAULT_BASE_URL);
    assertThat(p.anthropicVersion()).isEqualTo(AnthropicChatProvider.DEFAULT_ANTHROPIC_VERSION);
    assertThat(p.defaultMaxTokens()).isEqualTo(AnthropicChatProvider.DEFAULT_MAX_TOKENS);
    assertThat(p.httpClient()).isSameAs(SharedClients.httpClient(resources));
    assertThat(p.objectMapper()).isSameAs(SharedClients.objectMapper(resources));
  }

  @Test
  void missingKeyFailsNamingTheVariable() {
    ProviderSettings settings = ProviderSettings.builder("anthropic")
        .environment(name -> null)
        .build();
    assertThatThrownBy(() -> factory.create(settings))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("ANTHROPIC_API_KEY");
  }

  @Test
  void blankEnvironmentKeyCountsAsMissing() {
    ProviderSettings settings = ProviderSettings.builder("anthropic")
        .environment(Map.of("ANTHROPIC_API_KEY", "  ")::get)
        .build();
    assertThatThrownBy(() -> factory.create(settings))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("ANTHROPIC_API_KEY");
  }

  @Test
  void settingsKeysBaseUrlHeadersAndOptionsAreUsed() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      ProviderSettings settings = ProviderSettings.builder("anthropic")
          .baseUrl(server.url("/proxy/v1").toString())
          .apiKey("sk-ant-settings-key-1")
          .apiKey("sk-ant-settings-key-2")
          .header("x-tenant", "acme")
          .option("anthropic-version", "2023-06-01")
          .option("anthropic-beta", "a-beta, b-beta")
          .option("default-max-tokens", "1000")
          .environment(name -> {
            throw new AssertionError("the environment must not be read when keys are set");
          })
          .build();
      AnthropicChatProvider p = (AnthropicChatProvider) factory.create(settings);
      assertThat(p.apiKeyCount()).isEqualTo(2);
      assertThat(p.betas()).containsExactly("a-beta", "b-beta");
      assertThat(p.defaultMaxTokens()).isEqualTo(1000);
      assertThat(p.extraHeaderNames()).containsExactly("x-tenant");

      server.enqueue(new MockResponse.Builder().code(200).addHeader("content-type",
          "application/json").body("{\"id\":\"m\",\"model\":\"c\",\"content\":[],"
              + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}")
          .build());
      p.chat(ChatRequest.builder().model("claude-x").user("hi").build(),
          CallContext.standalone(false));
      RecordedRequest sent = server.takeRequest();
      assertThat(sent.getUrl().encodedPath()).isEqualTo("/proxy/v1/messages");
      assertThat(sent.getHeaders().get("x-api-key")).isEqualTo("sk-ant-settings-key-1");
      assertThat(sent.getHeaders().get("x-tenant")).isEqualTo("acme");
      assertThat(sent.getHeaders().get("anthropic-beta")).isEqualTo("a-beta,b-beta");
      assertThat(Recordings.parse(sent.getBody().utf8()).get("max_tokens").asInt()).isEqualTo(1000);
    }
  }

  @Test
  void unknownOrMalformedOptionsFail() {
    ProviderSettings unknown = ProviderSettings.builder("anthropic").apiKey("sk-ant-k-1234")
        .option("anthropic-verison", "2023-06-01").build();
    assertThatThrownBy(() -> factory.create(unknown))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("anthropic-verison").hasMessageContaining("anthropic-version");
    ProviderSettings malformed = ProviderSettings.builder("anthropic").apiKey("sk-ant-k-1234")
        .option("default-max-tokens", "lots").build();
    assertThatThrownBy(() -> factory.create(malformed))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("default-max-tokens");
  }

  @Test
  void createdProviderIsAChatProviderWithJsonSchemaSupport() {
    ChatProvider p = factory.create(ProviderSettings.builder("anthropic").apiKey("sk-ant-k-1234")
        .build());
    assertThat(p.capabilities().jsonSchema()).isTrue();
    assertThat(List.of(p.name())).containsExactly("anthropic");
  }
}

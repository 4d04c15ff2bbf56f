package dev.llmgateway.provider.azure;

import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AzureOpenAiProviderFactoryTest {
  private static final String ENDPOINT = "https://my-resource.openai.azure.com";
  private final SharedResources resources = new SharedResources();
  private final AzureOpenAiProviderFactory factory = new AzureOpenAiProviderFactory();

  private AzureOpenAiChatProvider create(@Nullable String baseUrl, List<Secret> keys,
      Map<String, String> options, Map<String, String> env) {
    return (AzureOpenAiChatProvider) factory.create(new ProviderSettings("azure", baseUrl, keys,
        Map.of(), options, env::get, resources));
  }

  @Test
  void servesTheNameAzure() {
    assertThat(factory.names()).containsExactly("azure");
  }

  @Test
  void readsTheEndpointAndKeyFromTheEnvironment() {
    AzureOpenAiChatProvider p = create(null, List.of(), Map.of(), Map.of(
        "AZURE_OPENAI_ENDPOINT", ENDPOINT + "/", "AZURE_OPENAI_API_KEY", API_KEY));
    assertThat(p.name()).isEqualTo("azure");
    assertThat(p.endpoint()).isEqualTo(ENDPOINT);
    assertThat(p.apiKeyCount()).isEqualTo(1);
    assertThat(p.mode()).isEqualTo(AzureOpenAiChatProvider.Mode.DEPLOYMENT);
    assertThat(p.apiVersion()).isEqualTo(AzureOpenAiChatProvider.DEFAULT_API_VERSION);
    assertThat(p.httpClient().connectionPool())
        .isSameAs(resources.computeIfAbsent(OkHttpClient.class, OkHttpClient::new).connectionPool());
  }

  @Test
  void theApiVersionComesFromTheOptionElseOpenAiApiVersion() {
    Map<String, String> env = Map.of("AZURE_OPENAI_ENDPOINT", ENDPOINT, "AZURE_OPENAI_API_KEY", "k",
        "OPENAI_API_VERSION", "2025-01-01-preview");
    assertThat(create(null, List.of(), Map.of(), env).apiVersion()).isEqualTo("2025-01-01-preview");
    assertThat(create(null, List.of(), Map.of("api-version", "2024-06-01"), env).apiVersion())
        .isEqualTo("2024-06-01");
  }

  @Test
  void configuredValuesWinOverTheEnvironment() {
    AzureOpenAiChatProvider p = create("https://other.openai.azure.com",
        List.of(Secret.of("k1"), Secret.of("k2")), Map.of("mode", "v1"),
        Map.of("AZURE_OPENAI_ENDPOINT", ENDPOINT, "AZURE_OPENAI_API_KEY", "env-key"));
    assertThat(p.endpoint()).isEqualTo("https://other.openai.azure.com");
    assertThat(p.apiKeyCount()).isEqualTo(2);
    assertThat(p.mode()).isEqualTo(AzureOpenAiChatProvider.Mode.V1);
    assertThat(p.apiVersion()).isNull();
  }

  @Test
  void aMissingEndpointOrKeyNamesTheVariables() {
    assertThatThrownBy(() -> create(null, List.of(), Map.of(), Map.of("AZURE_OPENAI_API_KEY", "k")))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("AZURE_OPENAI_ENDPOINT").hasMessageNotContaining("AZURE_OPENAI_API_KEY");
    assertThatThrownBy(() -> create(null, List.of(), Map.of(), Map.of("AZURE_OPENAI_ENDPOINT", ENDPOINT)))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("AZURE_OPENAI_API_KEY").hasMessageNotContaining("AZURE_OPENAI_ENDPOINT");
    assertThatThrownBy(() -> create(null, List.of(), Map.of(), Map.of("AZURE_OPENAI_API_KEY", " ")))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("AZURE_OPENAI_ENDPOINT").hasMessageContaining("AZURE_OPENAI_API_KEY");
  }

  @Test
  void rejectsUnknownOrInvalidOptions() {
    Map<String, String> env = Map.of("AZURE_OPENAI_ENDPOINT", ENDPOINT, "AZURE_OPENAI_API_KEY", "k");
    assertThatThrownBy(() -> create(null, List.of(), Map.of("apiVersion", "x"), env))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("apiVersion");
    assertThatThrownBy(() -> create(null, List.of(), Map.of("mode", "v2"), env))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("mode");
    assertThatThrownBy(() -> create(null, List.of(), Map.of("includeStreamUsage", "nope"), env))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("includeStreamUsage");
  }

  @Test
  void readsTheSharedOptions() {
    AzureOpenAiChatProvider p = create(ENDPOINT, List.of(Secret.of("k")),
        Map.of("maxTokensField", "max_tokens", "includeStreamUsage", "false"), Map.of());
    assertThat(p.maxTokensField()).isEqualTo("max_tokens");
    assertThat(p.includeStreamUsage()).isFalse();
  }

  @Test
  void neitherSettingsNorProviderShowTheKey() {
    ProviderSettings s = new ProviderSettings("azure", ENDPOINT, List.of(Secret.of(API_KEY)),
        Map.of("api-key", API_KEY), Map.of(),
        name -> name.equals(AzureOpenAiProviderFactory.API_KEY_ENV) ? API_KEY : null, resources);
    assertThat(s.toString()).doesNotContain(API_KEY);
    assertThat(factory.create(s).toString()).doesNotContain(API_KEY).contains("api-key");
  }
}

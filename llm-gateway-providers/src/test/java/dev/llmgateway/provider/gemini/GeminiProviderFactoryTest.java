package dev.llmgateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.SharedResources;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class GeminiProviderFactoryTest {
  private final GeminiProviderFactory factory = new GeminiProviderFactory();

  @Test
  void servesTheNameGeminiAndReadsTheDocumentedVariables() {
    assertThat(factory.names()).containsExactly("gemini");
    assertThat(GeminiProviderFactory.API_KEY_ENV).isEqualTo("GEMINI_API_KEY");
    assertThat(GeminiProviderFactory.FALLBACK_API_KEY_ENV).isEqualTo("GOOGLE_API_KEY");
  }

  @Test
  void configuredKeysWinOverTheEnvironment() {
    GeminiChatProvider p = create(ProviderSettings.builder("gemini").apiKey("configured")
        .environment(Map.of("GEMINI_API_KEY", "env")::get));
    assertThat(p.apiKeyCount()).isEqualTo(1);
    assertThat(p.baseUrl()).isEqualTo(GeminiChatProvider.DEFAULT_BASE_URL);
    assertThat(p.name()).isEqualTo("gemini");
  }

  @Test
  void readsGeminiApiKeyThenGoogleApiKey() {
    assertThat(create(ProviderSettings.builder("gemini")
        .environment(Map.of("GEMINI_API_KEY", "g")::get)).apiKeyCount()).isEqualTo(1);
    assertThat(create(ProviderSettings.builder("gemini")
        .environment(Map.of("GOOGLE_API_KEY", " google ")::get)).apiKeyCount()).isEqualTo(1);
  }

  @Test
  void missingKeyNamesTheVariable() {
    ProviderSettings settings = ProviderSettings.builder("gemini")
        .environment(Map.of("GEMINI_API_KEY", "  ")::get).build();
    assertThatThrownBy(() -> factory.create(settings))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("GEMINI_API_KEY").hasMessageContaining("GOOGLE_API_KEY");
  }

  @Test
  void usesTheSharedClientsBaseUrlHeadersAndName() {
    SharedResources resources = new SharedResources();
    OkHttpClient client = new OkHttpClient();
    ObjectMapper mapper = new ObjectMapper();
    resources.put(OkHttpClient.class, client).put(ObjectMapper.class, mapper);
    GeminiChatProvider p = create(ProviderSettings.builder("google-eu").apiKey("k")
        .baseUrl("https://proxy.example/v1beta").header("x-extra", "1").resources(resources)
        .environment(name -> null));
    assertThat(p.name()).isEqualTo("google-eu");
    assertThat(p.baseUrl()).isEqualTo("https://proxy.example/v1beta");
    assertThat(p.headers()).containsEntry("x-extra", "1");
    assertThat(p.httpClient()).isSameAs(client);
    assertThat(p.objectMapper()).isSameAs(mapper);
  }

  @Test
  void rejectsOptionsItDoesNotTake() {
    ProviderSettings settings = ProviderSettings.builder("gemini").apiKey("k")
        .option("project", "p").build();
    assertThatThrownBy(() -> factory.create(settings))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("project");
  }

  private GeminiChatProvider create(ProviderSettings.Builder settings) {
    ChatProvider provider = factory.create(settings.build());
    assertThat(provider).isInstanceOf(GeminiChatProvider.class);
    return (GeminiChatProvider) provider;
  }
}

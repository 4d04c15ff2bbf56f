package dev.llmgateway.provider.azure;

import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import org.junit.jupiter.api.Test;

class AzureOpenAiChatProviderTest {

  @Test
  void builderDefaultsAreTheDocumentedOnes() {
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder()
        .resourceName("my-resource").apiKey(Secret.of(API_KEY)).build();
    try {
      assertThat(p.name()).isEqualTo(AzureOpenAiChatProvider.DEFAULT_PROVIDER_NAME).isEqualTo("azure");
      assertThat(p.endpoint()).isEqualTo("https://my-resource.openai.azure.com");
      assertThat(p.mode()).isEqualTo(AzureOpenAiChatProvider.DEFAULT_MODE)
          .isEqualTo(AzureOpenAiChatProvider.Mode.DEPLOYMENT);
      assertThat(p.apiVersion()).isEqualTo(AzureOpenAiChatProvider.DEFAULT_API_VERSION)
          .isEqualTo("2024-10-21");
      assertThat(p.includeStreamUsage()).isEqualTo(AzureOpenAiChatProvider.DEFAULT_INCLUDE_STREAM_USAGE)
          .isTrue();
      assertThat(p.maxTokensField()).isEqualTo(AzureOpenAiChatProvider.DEFAULT_MAX_TOKENS_FIELD)
          .isEqualTo("max_completion_tokens");
      assertThat(p.apiKeyCount()).isEqualTo(1);
      assertThat(p.usesTokenSupplier()).isFalse();
      assertThat(p.httpClient().readTimeoutMillis())
          .isEqualTo(SharedClients.DEFAULT_READ_TIMEOUT.toMillis());
      assertThat(p.capabilities()).isEqualTo(ProviderCapabilities.ALL);
    } finally {
      p.close();
    }
  }

  @Test
  void theV1ModeSendsNoApiVersionByDefault() {
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder().resourceName("r")
        .tokenSupplier(() -> "t").mode(AzureOpenAiChatProvider.Mode.V1).build();
    assertThat(p.apiVersion()).isNull();
    assertThat(p.usesTokenSupplier()).isTrue();
    assertThat(p.apiKeyCount()).isZero();
    p.close();
  }

  @Test
  void needsAnEndpointAndExactlyOneKindOfCredential() {
    assertThatThrownBy(() -> AzureOpenAiChatProvider.builder().apiKey(Secret.of("k")).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("endpoint");
    assertThatThrownBy(() -> AzureOpenAiChatProvider.builder().resourceName("r").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("API key or a token");
    assertThatThrownBy(() -> AzureOpenAiChatProvider.builder().resourceName("r")
        .apiKey(Secret.of("k")).tokenSupplier(() -> "t").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("both");
    assertThatThrownBy(() -> AzureOpenAiChatProvider.builder().resourceName("bad/name"))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("resourceName");
    assertThatThrownBy(() -> AzureOpenAiChatProvider.builder().endpoint("ftp://x").apiKey(Secret.of("k"))
        .build()).isInstanceOf(LlmConfigurationException.class).hasMessageContaining("endpoint");
  }

  @Test
  void toStringShowsNeitherKeyNorHeaderValues() {
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder().resourceName("r")
        .apiKey(Secret.of(API_KEY)).header("X-Custom", "secret-header-value").build();
    assertThat(p.toString()).contains("azure", "apiKeys=1", "X-Custom", "https://r.openai.azure.com")
        .doesNotContain(API_KEY).doesNotContain("secret-header-value");
    p.close();
  }
}

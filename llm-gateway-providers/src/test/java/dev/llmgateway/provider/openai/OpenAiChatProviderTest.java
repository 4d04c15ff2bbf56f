package dev.llmgateway.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiChatProviderTest {

  @Test
  void builderDefaultsAreTheDocumentedOnes() {
    OpenAiChatProvider provider = OpenAiChatProvider.builder().build();
    try {
      assertThat(provider.name()).isEqualTo(OpenAiChatProvider.DEFAULT_PROVIDER_NAME).isEqualTo("openai");
      assertThat(provider.baseUrl()).isEqualTo(OpenAiChatProvider.DEFAULT_BASE_URL)
          .isEqualTo("https://api.openai.com/v1");
      assertThat(provider.includeStreamUsage()).isEqualTo(OpenAiChatProvider.DEFAULT_INCLUDE_STREAM_USAGE)
          .isTrue();
      assertThat(provider.maxTokensField()).isEqualTo(OpenAiChatProvider.DEFAULT_MAX_TOKENS_FIELD)
          .isEqualTo("max_completion_tokens");
      assertThat(provider.apiKeyCount()).isZero();
      assertThat(provider.organization()).isNull();
      assertThat(provider.project()).isNull();
      assertThat(provider.httpClient().readTimeoutMillis())
          .isEqualTo(SharedClients.DEFAULT_READ_TIMEOUT.toMillis());
      assertThat(provider.objectMapper().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
          .isFalse();
      assertThat(provider.capabilities()).isEqualTo(ProviderCapabilities.ALL);
    } finally {
      provider.close();
    }
  }

  @Test
  void builderKeepsTheGivenSettings() {
    OpenAiChatProvider provider = OpenAiChatProvider.builder()
        .providerName("vllm")
        .baseUrl("http://localhost:8000/v1/")
        .apiKeys(List.of(Secret.of("k1"), Secret.of("k2")))
        .organization("org-1")
        .project("proj-1")
        .includeStreamUsage(false)
        .maxTokensField("max_tokens")
        .build();
    assertThat(provider.name()).isEqualTo("vllm");
    assertThat(provider.baseUrl()).isEqualTo("http://localhost:8000/v1");
    assertThat(provider.apiKeyCount()).isEqualTo(2);
    assertThat(provider.organization()).isEqualTo("org-1");
    assertThat(provider.project()).isEqualTo("proj-1");
    assertThat(provider.includeStreamUsage()).isFalse();
    assertThat(provider.maxTokensField()).isEqualTo("max_tokens");
    provider.close();
  }

  @Test
  void rejectsABaseUrlThatIsNotHttp() {
    assertThatThrownBy(() -> OpenAiChatProvider.builder().baseUrl("ftp://example.com").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> OpenAiChatProvider.builder().baseUrl(" "))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void toStringShowsNoKey() {
    OpenAiChatProvider provider = OpenAiChatProvider.builder()
        .apiKey(Secret.of(OpenAiTestSupport.API_KEY))
        .header("X-Custom", "secret-header-value")
        .build();
    assertThat(provider.toString()).contains("openai", "apiKeys=1", "X-Custom")
        .doesNotContain(OpenAiTestSupport.API_KEY).doesNotContain("secret-header-value");
    provider.close();
  }
}

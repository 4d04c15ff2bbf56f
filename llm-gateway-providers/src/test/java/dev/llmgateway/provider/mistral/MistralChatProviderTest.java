package dev.llmgateway.provider.mistral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderCapabilities;
import org.junit.jupiter.api.Test;

class MistralChatProviderTest {

  @Test
  void builderDefaultsAreTheDocumentedOnes() {
    MistralChatProvider p = MistralChatProvider.builder().build();
    try {
      assertThat(p.name()).isEqualTo(MistralChatProvider.DEFAULT_PROVIDER_NAME).isEqualTo("mistral");
      assertThat(p.baseUrl()).isEqualTo(MistralChatProvider.DEFAULT_BASE_URL)
          .isEqualTo("https://api.mistral.ai/v1");
      assertThat(p.apiKeyCount()).isZero();
      assertThat(p.maxTokensField()).isEqualTo("max_tokens");
      assertThat(p.includeStreamUsage()).isFalse();
      assertThat(p.httpClient().readTimeoutMillis())
          .isEqualTo(SharedClients.DEFAULT_READ_TIMEOUT.toMillis());
      assertThat(p.capabilities()).isEqualTo(ProviderCapabilities.ALL);
    } finally {
      p.close();
    }
  }

  @Test
  void theDialectIsMistrals() {
    assertThat(MistralChatProvider.DIALECT.seedField()).isEqualTo("random_seed");
    assertThat(MistralChatProvider.DIALECT.requiredToolChoice()).isEqualTo("any");
    assertThat(MistralChatProvider.DIALECT.sendsUser()).isFalse();
    assertThat(MistralChatProvider.DIALECT.sendsMessageNames()).isFalse();
    assertThat(MistralChatProvider.DIALECT.sendsToolResultNames()).isTrue();
  }

  @Test
  void rejectsABaseUrlThatIsNotHttp() {
    assertThatThrownBy(() -> MistralChatProvider.builder().baseUrl("mistral.ai").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("baseUrl");
  }
}

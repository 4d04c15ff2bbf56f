package dev.llmgateway.provider.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class OpenAiResponsesChatProviderTest {

  @Test
  void builderDefaultsAreTheDocumentedOnes() {
    OpenAiResponsesChatProvider provider = OpenAiResponsesChatProvider.builder().build();
    try {
      assertThat(provider.name()).isEqualTo(OpenAiResponsesChatProvider.DEFAULT_PROVIDER_NAME)
          .isEqualTo("openai-responses");
      assertThat(provider.baseUrl()).isEqualTo(OpenAiResponsesChatProvider.DEFAULT_BASE_URL)
          .isEqualTo("https://api.openai.com/v1");
      assertThat(provider.store()).isEqualTo(OpenAiResponsesChatProvider.DEFAULT_STORE).isFalse();
      assertThat(provider.includeEncryptedReasoning())
          .isEqualTo(OpenAiResponsesChatProvider.DEFAULT_INCLUDE_ENCRYPTED_REASONING).isTrue();
      assertThat(provider.apiKeyCount()).isZero();
      assertThat(provider.organization()).isNull();
      assertThat(provider.project()).isNull();
      assertThat(provider.httpClient().readTimeoutMillis())
          .isEqualTo(SharedClients.DEFAULT_READ_TIMEOUT.toMillis());
      assertThat(provider.httpClient().retryOnConnectionFailure()).isFalse();
      assertThat(provider.objectMapper().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
          .isFalse();
      assertThat(provider.capabilities()).isEqualTo(ProviderCapabilities.ALL);
    } finally {
      provider.close();
    }
  }

  @Test
  void builderKeepsTheGivenSettings() {
    OpenAiResponsesChatProvider provider = OpenAiResponsesChatProvider.builder()
        .providerName("reasoning")
        .baseUrl("http://localhost:8000/v1/")
        .apiKeys(List.of(Secret.of("k1"), Secret.of("k2")))
        .organization("org-1")
        .project("proj-1")
        .store(true)
        .includeEncryptedReasoning(false)
        .build();
    assertThat(provider.name()).isEqualTo("reasoning");
    assertThat(provider.baseUrl()).isEqualTo("http://localhost:8000/v1");
    assertThat(provider.apiKeyCount()).isEqualTo(2);
    assertThat(provider.organization()).isEqualTo("org-1");
    assertThat(provider.project()).isEqualTo("proj-1");
    assertThat(provider.store()).isTrue();
    assertThat(provider.includeEncryptedReasoning()).isFalse();
    provider.close();
  }

  @Test
  void aHostClientWithSilentRetriesIsUsedWithoutThem() {
    OkHttpClient host = new OkHttpClient.Builder().retryOnConnectionFailure(true).build();
    OpenAiResponsesChatProvider provider = OpenAiResponsesChatProvider.builder().httpClient(host).build();
    assertThat(provider.httpClient().retryOnConnectionFailure()).isFalse();
    assertThat(provider.httpClient().connectionPool()).isSameAs(host.connectionPool());
    assertThat(provider.httpClient().dispatcher()).isSameAs(host.dispatcher());
    OkHttpClient quiet = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    assertThat(OpenAiResponsesChatProvider.builder().httpClient(quiet).build().httpClient()).isSameAs(quiet);
  }

  @Test
  void rejectsABaseUrlThatIsNotHttp() {
    assertThatThrownBy(() -> OpenAiResponsesChatProvider.builder().baseUrl("ftp://example.com").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> OpenAiResponsesChatProvider.builder().baseUrl(" "))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> OpenAiResponsesChatProvider.builder().providerName(""))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void toStringShowsNoKeyNorHeaderValue() {
    OpenAiResponsesChatProvider provider = OpenAiResponsesChatProvider.builder()
        .apiKey(Secret.of(OpenAiResponsesTestSupport.API_KEY))
        .header("X-Custom", "secret-header-value")
        .build();
    assertThat(provider.toString()).contains("openai-responses", "apiKeys=1", "X-Custom", "store=false")
        .doesNotContain(OpenAiResponsesTestSupport.API_KEY).doesNotContain("secret-header-value");
    provider.close();
  }
}

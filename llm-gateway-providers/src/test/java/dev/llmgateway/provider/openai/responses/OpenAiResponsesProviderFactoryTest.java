package dev.llmgateway.provider.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class OpenAiResponsesProviderFactoryTest {
  private final SharedResources resources = new SharedResources();
  private final OpenAiResponsesProviderFactory factory = new OpenAiResponsesProviderFactory();

  private ProviderSettings settings(String name, @Nullable String baseUrl, List<Secret> keys,
      Map<String, String> options, Function<String, @Nullable String> env) {
    return new ProviderSettings(name, baseUrl, keys, Map.of("X-Extra", "1"), options, env, resources);
  }

  @Test
  void servesTheOpenAiResponsesName() {
    assertThat(factory.names()).containsExactly("openai-responses");
  }

  @Test
  void readsTheKeyFromOpenAiApiKey() {
    ChatProvider provider = factory.create(settings("openai-responses", null, List.of(), Map.of(),
        name -> name.equals("OPENAI_API_KEY") ? " sk-from-env " : null));
    assertThat(provider).isInstanceOf(OpenAiResponsesChatProvider.class);
    OpenAiResponsesChatProvider responses = (OpenAiResponsesChatProvider) provider;
    assertThat(responses.apiKeyCount()).isEqualTo(1);
    assertThat(responses.name()).isEqualTo("openai-responses");
    assertThat(responses.baseUrl()).isEqualTo(OpenAiResponsesChatProvider.DEFAULT_BASE_URL);
    assertThat(responses.store()).isFalse();
    assertThat(responses.includeEncryptedReasoning()).isTrue();
  }

  @Test
  void aMissingKeyNamesTheVariable() {
    assertThatThrownBy(() -> factory.create(settings("openai-responses", null, List.of(), Map.of(),
        name -> null)))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("OPENAI_API_KEY")
        .hasMessageContaining("openai-responses");
    assertThatThrownBy(() -> factory.create(settings("openai-responses", "https://api.openai.com/v1/",
        List.of(), Map.of(), name -> " "))).isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void anotherBaseUrlNeedsNoKey() {
    OpenAiResponsesChatProvider provider = (OpenAiResponsesChatProvider) factory.create(settings(
        "local", "http://localhost:8000/v1", List.of(), Map.of(), name -> null));
    assertThat(provider.apiKeyCount()).isZero();
    assertThat(provider.name()).isEqualTo("local");
    assertThat(provider.baseUrl()).isEqualTo("http://localhost:8000/v1");
  }

  @Test
  void configuredKeysWinOverTheEnvironment() {
    OpenAiResponsesChatProvider provider = (OpenAiResponsesChatProvider) factory.create(settings(
        "openai-responses", null, List.of(Secret.of("k1"), Secret.of("k2")), Map.of(),
        name -> "sk-from-env"));
    assertThat(provider.apiKeyCount()).isEqualTo(2);
  }

  @Test
  void readsOptions() {
    OpenAiResponsesChatProvider provider = (OpenAiResponsesChatProvider) factory.create(settings(
        "reasoning", null, List.of(Secret.of("k")), Map.of("organization", "org-1", "project", "proj-1",
            "store", "TRUE", "includeEncryptedReasoning", " false "), name -> null));
    assertThat(provider.name()).isEqualTo("reasoning");
    assertThat(provider.organization()).isEqualTo("org-1");
    assertThat(provider.project()).isEqualTo("proj-1");
    assertThat(provider.store()).isTrue();
    assertThat(provider.includeEncryptedReasoning()).isFalse();
    assertThat(provider.toString()).contains("X-Extra");
  }

  @Test
  void rejectsUnknownOptionsAndBadFlags() {
    assertThatThrownBy(() -> factory.create(settings("openai-responses", null, List.of(Secret.of("k")),
        Map.of("stroe", "true"), name -> null)))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("stroe");
    assertThatThrownBy(() -> factory.create(settings("openai-responses", null, List.of(Secret.of("k")),
        Map.of("store", "yes"), name -> null)))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("true or false");
  }

  @Test
  void usesTheGatewaysSharedClientAndMapper() {
    OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    ObjectMapper mapper = new ObjectMapper();
    resources.put(OkHttpClient.class, client).put(ObjectMapper.class, mapper);
    OpenAiResponsesChatProvider provider = (OpenAiResponsesChatProvider) factory.create(settings(
        "openai-responses", null, List.of(Secret.of("k")), Map.of(), name -> null));
    assertThat(provider.httpClient()).isSameAs(client);
    assertThat(provider.objectMapper()).isSameAs(mapper);
  }
}

package dev.llmgateway.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class OpenAiProviderFactoryTest {
  private final SharedResources resources = new SharedResources();
  private final OpenAiProviderFactory factory = new OpenAiProviderFactory();

  private ProviderSettings settings(@Nullable String baseUrl, List<Secret> keys,
      Map<String, String> options, Function<String, @Nullable String> env) {
    return new ProviderSettings("openai", baseUrl, keys, Map.of(), options, env, resources);
  }

  @Test
  void isFoundByServiceLoader() {
    assertThat(ServiceLoader.load(ChatProviderFactory.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(f -> f.names().contains("openai")))
        .singleElement().isInstanceOf(OpenAiProviderFactory.class);
    assertThat(factory.names()).containsExactly("openai");
  }

  @Test
  void readsTheKeyFromOpenAiApiKey() {
    ChatProvider provider = factory.create(settings(null, List.of(), Map.of(),
        name -> name.equals("OPENAI_API_KEY") ? "sk-from-env" : null));
    assertThat(provider).isInstanceOf(OpenAiChatProvider.class);
    OpenAiChatProvider openAi = (OpenAiChatProvider) provider;
    assertThat(openAi.apiKeyCount()).isEqualTo(1);
    assertThat(openAi.baseUrl()).isEqualTo(OpenAiChatProvider.DEFAULT_BASE_URL);
    assertThat(openAi.name()).isEqualTo("openai");
  }

  @Test
  void aMissingKeyForOpenAiNamesTheVariable() {
    assertThatThrownBy(() -> factory.create(settings(null, List.of(), Map.of(), name -> null)))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("OPENAI_API_KEY");
    assertThatThrownBy(() -> factory.create(settings("https://api.openai.com/v1/", List.of(), Map.of(),
        name -> " "))).isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void aCustomBaseUrlNeedsNoKey() {
    OpenAiChatProvider provider = (OpenAiChatProvider) factory.create(settings(
        "http://localhost:8000/v1", List.of(), Map.of("maxTokensField", "max_tokens"), name -> null));
    assertThat(provider.apiKeyCount()).isZero();
    assertThat(provider.baseUrl()).isEqualTo("http://localhost:8000/v1");
    assertThat(provider.maxTokensField()).isEqualTo("max_tokens");
  }

  @Test
  void configuredKeysWinOverTheEnvironment() {
    OpenAiChatProvider provider = (OpenAiChatProvider) factory.create(settings(null,
        List.of(Secret.of("k1"), Secret.of("k2")), Map.of(), name -> "sk-from-env"));
    assertThat(provider.apiKeyCount()).isEqualTo(2);
  }

  @Test
  void readsOptions() {
    OpenAiChatProvider provider = (OpenAiChatProvider) factory.create(settings(null,
        List.of(Secret.of("k")), Map.of("organization", "org-1", "project", "proj-1",
            "includeStreamUsage", "false"), name -> null));
    assertThat(provider.organization()).isEqualTo("org-1");
    assertThat(provider.project()).isEqualTo("proj-1");
    assertThat(provider.includeStreamUsage()).isFalse();
  }

  @Test
  void rejectsUnknownOrInvalidOptions() {
    assertThatThrownBy(() -> factory.create(settings(null, List.of(Secret.of("k")),
        Map.of("organisation", "org-1"), name -> null)))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("organisation");
    assertThatThrownBy(() -> factory.create(settings(null, List.of(Secret.of("k")),
        Map.of("includeStreamUsage", "yes"), name -> null)))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("includeStreamUsage");
  }

  @Test
  void usesTheGatewaysSharedClientAndMapper() {
    OkHttpClient client = new OkHttpClient();
    ObjectMapper mapper = new ObjectMapper();
    resources.put(OkHttpClient.class, client).put(ObjectMapper.class, mapper);
    OpenAiChatProvider provider = (OpenAiChatProvider) factory.create(settings(null,
        List.of(Secret.of("k")), Map.of(), name -> null));
    // the same pool and dispatcher, with OkHttp's silent retries turned off
    assertThat(provider.httpClient().connectionPool()).isSameAs(client.connectionPool());
    assertThat(provider.httpClient().dispatcher()).isSameAs(client.dispatcher());
    assertThat(provider.httpClient().retryOnConnectionFailure()).isFalse();
    assertThat(provider.objectMapper()).isSameAs(mapper);
    OkHttpClient noRetries = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    resources.put(OkHttpClient.class, noRetries);
    assertThat(((OpenAiChatProvider) factory.create(settings(null, List.of(Secret.of("k")), Map.of(),
        name -> null))).httpClient()).isSameAs(noRetries);
  }

  @Test
  void settingsAndProviderToStringShowNoKey() {
    ProviderSettings s = settings(null, List.of(Secret.of(OpenAiTestSupport.API_KEY)), Map.of(),
        name -> null);
    assertThat(s.toString()).doesNotContain(OpenAiTestSupport.API_KEY);
    assertThat(factory.create(s).toString()).doesNotContain(OpenAiTestSupport.API_KEY);
  }
}

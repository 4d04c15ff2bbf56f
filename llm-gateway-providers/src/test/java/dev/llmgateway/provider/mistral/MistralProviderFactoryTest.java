package dev.llmgateway.provider.mistral;

import static dev.llmgateway.provider.mistral.MistralTestSupport.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class MistralProviderFactoryTest {
  private final SharedResources resources = new SharedResources();
  private final MistralProviderFactory factory = new MistralProviderFactory();

  private MistralChatProvider create(@Nullable String baseUrl, List<Secret> keys,
      Map<String, String> options, Function<String, @Nullable String> env) {
    return (MistralChatProvider) factory.create(new ProviderSettings("mistral", baseUrl, keys, Map.of(),
        options, env, resources));
  }

  @Test
  void readsTheKeyFromMistralApiKey() {
    MistralChatProvider p = create(null, List.of(), Map.of(),
        name -> name.equals("MISTRAL_API_KEY") ? API_KEY : null);
    assertThat(factory.names()).containsExactly("mistral");
    assertThat(p.name()).isEqualTo("mistral");
    assertThat(p.baseUrl()).isEqualTo(MistralChatProvider.DEFAULT_BASE_URL);
    assertThat(p.apiKeyCount()).isEqualTo(1);
  }

  @Test
  void aMissingKeyNamesTheVariable() {
    assertThatThrownBy(() -> create(null, List.of(), Map.of(), name -> null))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("MISTRAL_API_KEY");
  }

  @Test
  void configuredBaseUrlAndKeysWin() {
    MistralChatProvider p = create("https://eu.example.com/v1/", List.of(Secret.of("a"), Secret.of("b")),
        Map.of(), name -> "env-key");
    assertThat(p.baseUrl()).isEqualTo("https://eu.example.com/v1");
    assertThat(p.apiKeyCount()).isEqualTo(2);
  }

  @Test
  void takesNoOptions() {
    assertThatThrownBy(() -> create(null, List.of(Secret.of("k")), Map.of("includeStreamUsage", "true"),
        name -> null)).isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("includeStreamUsage");
  }

  @Test
  void toStringShowsNoKey() {
    assertThat(create(null, List.of(Secret.of(API_KEY)), Map.of(), name -> null).toString())
        .contains("mistral", "apiKeys=1").doesNotContain(API_KEY);
  }
}

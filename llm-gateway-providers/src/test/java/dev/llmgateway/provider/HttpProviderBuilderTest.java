package dev.llmgateway.provider;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.anthropic.AnthropicChatProvider;
import dev.llmgateway.provider.gemini.GeminiChatProvider;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings every HTTP adapter's builder shares, checked through three of them. */
class HttpProviderBuilderTest {

  @Test
  void aBlankHeaderNameOrProviderNameIsAConfigurationErrorNamingTheSetting() {
    assertThatThrownBy(() -> OpenAiChatProvider.builder().header(" ", "v"))
        .isInstanceOf(LlmConfigurationException.class).hasMessage("header name must not be blank");
    assertThatThrownBy(() -> AnthropicChatProvider.builder().headers(Map.of("", "v")))
        .isInstanceOf(LlmConfigurationException.class).hasMessage("header name must not be blank");
    assertThatThrownBy(() -> GeminiChatProvider.builder().providerName(""))
        .isInstanceOf(LlmConfigurationException.class).hasMessage("providerName must not be blank");
  }

  @Test
  void aNullHeaderValueInAMapIsRefusedNamingTheHeader() {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Team", null);

    assertThatThrownBy(() -> AnthropicChatProvider.builder().headers(headers))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("'X-Team'");
  }
}

package dev.llmgateway.provider.ollama.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OllamaHostTest {

  @Test
  void readsOllamaHostLikeTheOllamaCli() {
    assertThat(OllamaHost.toBaseUrl("0.0.0.0")).isEqualTo("http://0.0.0.0:11434");
    assertThat(OllamaHost.toBaseUrl("gpu-box")).isEqualTo("http://gpu-box:11434");
    assertThat(OllamaHost.toBaseUrl("gpu-box:8080")).isEqualTo("http://gpu-box:8080");
    assertThat(OllamaHost.toBaseUrl(":12345")).isEqualTo("http://127.0.0.1:12345");
    assertThat(OllamaHost.toBaseUrl("gpu-box/ollama/")).isEqualTo("http://gpu-box:11434/ollama");
    assertThat(OllamaHost.toBaseUrl(" \"127.0.0.1:11434\" ")).isEqualTo("http://127.0.0.1:11434");
    assertThat(OllamaHost.toBaseUrl("::1")).isEqualTo("http://[::1]:11434");
    assertThat(OllamaHost.toBaseUrl("[::1]:8080")).isEqualTo("http://[::1]:8080");
    assertThat(OllamaHost.toBaseUrl("gpu-box:99999")).isEqualTo("http://gpu-box:11434");
  }

  @Test
  void aValueWithASchemeIsAUrlUsedAsItIs() {
    assertThat(OllamaHost.toBaseUrl("http://gpu-box")).isEqualTo("http://gpu-box");
    assertThat(OllamaHost.toBaseUrl("https://ollama.com/")).isEqualTo("https://ollama.com");
    assertThat(OllamaHost.toBaseUrl("https://proxy.example:8443/ollama/"))
        .isEqualTo("https://proxy.example:8443/ollama");
  }

  @Test
  void blankMeansUnset() {
    assertThat(OllamaHost.toBaseUrl(null)).isNull();
    assertThat(OllamaHost.toBaseUrl("  ")).isNull();
    assertThat(OllamaHost.toBaseUrl("''")).isNull();
  }
}

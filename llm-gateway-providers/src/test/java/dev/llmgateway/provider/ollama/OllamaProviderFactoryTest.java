package dev.llmgateway.provider.ollama;

import static dev.llmgateway.provider.ollama.OllamaTestSupport.answer;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.json;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.parse;
import static dev.llmgateway.provider.ollama.OllamaTestSupport.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.SharedResources;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class OllamaProviderFactoryTest {
  private final OllamaProviderFactory factory = new OllamaProviderFactory();

  @Test
  void servesTheOllamaName() {
    assertThat(factory.names()).containsExactly("ollama");
  }

  @Test
  void needsNoKeyAndDefaultsToLocalhost() {
    SharedResources resources = new SharedResources();
    OllamaChatProvider p = (OllamaChatProvider) factory.create(ProviderSettings.builder("ollama")
        .environment(name -> null).resources(resources).build());
    assertThat(p.name()).isEqualTo("ollama");
    assertThat(p.baseUrl()).isEqualTo(OllamaChatProvider.DEFAULT_BASE_URL);
    assertThat(p.apiKeyCount()).isZero();
    assertThat(p.keepAlive()).isNull();
    assertThat(p.httpClient()).isSameAs(SharedClients.httpClient(resources));
    assertThat(p.objectMapper()).isSameAs(SharedClients.objectMapper(resources));
  }

  @Test
  void honoursOllamaHostAddingTheSchemeAndPortLikeTheCli() {
    OllamaChatProvider p = (OllamaChatProvider) factory.create(ProviderSettings.builder("ollama")
        .environment(Map.of("OLLAMA_HOST", "gpu-box")::get).build());
    assertThat(p.baseUrl()).isEqualTo("http://gpu-box:11434");
    OllamaChatProvider q = (OllamaChatProvider) factory.create(ProviderSettings.builder("ollama")
        .environment(Map.of("OLLAMA_HOST", "https://ollama.example.com")::get).build());
    assertThat(q.baseUrl()).isEqualTo("https://ollama.example.com");
  }

  @Test
  void settingsBaseUrlWinsOverTheEnvironmentAndGetsASchemeWhenMissing() {
    OllamaChatProvider p = (OllamaChatProvider) factory.create(ProviderSettings.builder("ollama")
        .baseUrl("10.0.0.5:11434")
        .environment(Map.of("OLLAMA_HOST", "elsewhere")::get).build());
    assertThat(p.baseUrl()).isEqualTo("http://10.0.0.5:11434");
  }

  @Test
  void settingsAreUsedOnTheWire() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      ProviderSettings settings = ProviderSettings.builder("local-llm")
          .baseUrl(server.url("/").toString())
          .apiKey("cloud-key-from-settings")
          .header("x-tenant", "acme")
          .option("keep-alive", "10m")
          .environment(Map.of("OLLAMA_API_KEY", "cloud-key-from-env")::get)
          .build();
      OllamaChatProvider p = (OllamaChatProvider) factory.create(settings);
      assertThat(p.name()).isEqualTo("local-llm");
      assertThat(p.keepAlive()).isEqualTo(Duration.ofMinutes(10));
      server.enqueue(json(200, answer("ok", "stop")));
      p.chat(simple(), CallContext.standalone(false));
      RecordedRequest sent = server.takeRequest();
      assertThat(sent.getUrl().encodedPath()).isEqualTo("/api/chat");
      assertThat(sent.getHeaders().get("authorization")).isEqualTo("Bearer cloud-key-from-settings");
      assertThat(sent.getHeaders().get("x-tenant")).isEqualTo("acme");
      assertThat(parse(sent.getBody().utf8()).get("keep_alive").asText()).isEqualTo("600s");
    }
  }

  @Test
  void readsTheOptionalCloudKeyFromTheEnvironment() {
    OllamaChatProvider p = (OllamaChatProvider) factory.create(ProviderSettings.builder("ollama")
        .environment(Map.of("OLLAMA_API_KEY", " cloud-key ")::get).build());
    assertThat(p.apiKeyCount()).isEqualTo(1);
    assertThat(p.toString()).doesNotContain("cloud-key");
  }

  @Test
  void keepAliveOptionAcceptsSecondsAndGoDurations() {
    assertThat(OllamaProviderFactory.parseKeepAlive("300")).isEqualTo(Duration.ofSeconds(300));
    assertThat(OllamaProviderFactory.parseKeepAlive("-1")).isEqualTo(Duration.ofSeconds(-1));
    assertThat(OllamaProviderFactory.parseKeepAlive("0")).isEqualTo(Duration.ZERO);
    assertThat(OllamaProviderFactory.parseKeepAlive("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(OllamaProviderFactory.parseKeepAlive("-5m")).isEqualTo(Duration.ofMinutes(-5));
    assertThat(OllamaProviderFactory.parseKeepAlive("forever")).isNull();
    assertThatThrownBy(() -> factory.create(ProviderSettings.builder("ollama")
        .option("keep-alive", "forever").environment(n -> null).build()))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("keep-alive");
  }

  @Test
  void unknownOptionFailsNamingTheKnownOnes() {
    assertThatThrownBy(() -> factory.create(ProviderSettings.builder("ollama")
        .option("keepalive", "5m").environment(n -> null).build()))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("keepalive").hasMessageContaining("keep-alive");
  }
}

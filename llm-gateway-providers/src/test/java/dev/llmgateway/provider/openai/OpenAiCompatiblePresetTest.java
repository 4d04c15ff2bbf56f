package dev.llmgateway.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OpenAiCompatiblePresetTest {
  private static final String KEY = "preset-key-THIS-MUST-NEVER-LEAK-0123456789";
  private final ObjectMapper mapper = new ObjectMapper();
  private final SharedResources resources = new SharedResources();
  private final OpenAiCompatibleProviderFactory factory = new OpenAiCompatibleProviderFactory();
  @RegisterExtension
  final MockServer mock = new MockServer();
  private MockWebServer server;

  @BeforeEach
  void start() {
    server = mock.server();
  }

  @AfterEach
  void stop() {
    resources.close();
  }

  private OpenAiChatProvider create(String name, @Nullable String baseUrl, List<Secret> keys,
      Map<String, String> options, Function<String, @Nullable String> env) {
    return (OpenAiChatProvider) factory.create(new ProviderSettings(name, baseUrl, keys, Map.of(),
        options, env, resources));
  }

  @Test
  void thePresetsAreTheDocumentedOnes() {
    assertThat(OpenAiCompatiblePreset.values()).extracting(
            OpenAiCompatiblePreset::presetName, OpenAiCompatiblePreset::baseUrl,
            OpenAiCompatiblePreset::apiKeyVariable, OpenAiCompatiblePreset::keyRequired,
            OpenAiCompatiblePreset::maxTokensField, OpenAiCompatiblePreset::includeStreamUsage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY",
                true, "max_tokens", false),
            org.assertj.core.groups.Tuple.tuple("together", "https://api.together.ai/v1",
                "TOGETHER_API_KEY", true, "max_tokens", false),
            org.assertj.core.groups.Tuple.tuple("deepseek", "https://api.deepseek.com", "DEEPSEEK_API_KEY",
                true, "max_tokens", true),
            org.assertj.core.groups.Tuple.tuple("openrouter", "https://openrouter.ai/api/v1",
                "OPENROUTER_API_KEY", true, "max_tokens", false),
            org.assertj.core.groups.Tuple.tuple("fireworks", "https://api.fireworks.ai/inference/v1",
                "FIREWORKS_API_KEY", true, "max_tokens", false),
            org.assertj.core.groups.Tuple.tuple("vllm", "http://localhost:8000/v1", "VLLM_API_KEY", false,
                "max_tokens", true),
            org.assertj.core.groups.Tuple.tuple("llamacpp", "http://localhost:8080/v1", "LLAMACPP_API_KEY",
                false, "max_tokens", true),
            org.assertj.core.groups.Tuple.tuple("lmstudio", "http://localhost:1234/v1", null, false,
                "max_tokens", true));
    assertThat(OpenAiCompatiblePreset.DEFAULT_MAX_TOKENS_FIELD).isEqualTo("max_tokens");
  }

  @Test
  void oneFactoryServesEveryPresetName() {
    assertThat(factory.names()).containsExactlyInAnyOrder("groq", "together", "deepseek", "openrouter",
        "fireworks", "vllm", "llamacpp", "lmstudio");
    assertThat(OpenAiCompatiblePreset.forName("Groq")).isEqualTo(OpenAiCompatiblePreset.GROQ);
    assertThat(OpenAiCompatiblePreset.forName("openai")).isNull();
    assertThatThrownBy(() -> create("anyscale", null, List.of(), Map.of(), name -> null))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("anyscale");
  }

  @Test
  void groqWorksWithGroqApiKeySet() {
    OpenAiChatProvider groq = create("groq", null, List.of(), Map.of(),
        name -> name.equals("GROQ_API_KEY") ? KEY : null);
    assertThat(groq.name()).isEqualTo("groq");
    assertThat(groq.baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
    assertThat(groq.apiKeyCount()).isEqualTo(1);
    assertThat(groq.maxTokensField()).isEqualTo("max_tokens");
    assertThat(groq.includeStreamUsage()).isFalse();
    assertThat(groq.toString()).doesNotContain(KEY);
  }

  @ParameterizedTest
  @EnumSource(value = OpenAiCompatiblePreset.class, names = {"GROQ", "TOGETHER", "DEEPSEEK",
      "OPENROUTER", "FIREWORKS"})
  void aHostedServiceWithoutItsKeyNamesTheVariable(OpenAiCompatiblePreset preset) {
    // OPENAI_API_KEY is set, but must never be sent to another service
    assertThatThrownBy(() -> create(preset.presetName(), null, List.of(), Map.of(),
        name -> name.equals("OPENAI_API_KEY") ? "sk-openai" : null))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining(preset.apiKeyVariable());
  }

  @ParameterizedTest
  @EnumSource(value = OpenAiCompatiblePreset.class, names = {"VLLM", "LLAMACPP", "LMSTUDIO"})
  void aLocalServerNeedsNoKeyAndNeverGetsOpenAis(OpenAiCompatiblePreset preset) {
    OpenAiChatProvider p = create(preset.presetName(), null, List.of(), Map.of(),
        name -> name.equals("OPENAI_API_KEY") ? "sk-openai" : null);
    assertThat(p.apiKeyCount()).isZero();
    assertThat(p.baseUrl()).isEqualTo(preset.baseUrl());
  }

  @Test
  void aLocalServerReadsItsOwnVariable() {
    assertThat(create("vllm", null, List.of(), Map.of(),
        name -> name.equals("VLLM_API_KEY") ? "token-abc123" : null).apiKeyCount()).isEqualTo(1);
    assertThat(create("llamacpp", null, List.of(), Map.of(),
        name -> name.equals("LLAMACPP_API_KEY") ? "k" : null).apiKeyCount()).isEqualTo(1);
  }

  @Test
  void aConfiguredBaseUrlAndOptionsWinOverThePreset() {
    OpenAiChatProvider p = create("vllm", "http://gpu-box:9000/v1", List.of(),
        Map.of("maxTokensField", "max_completion_tokens", "includeStreamUsage", "false"), name -> null);
    assertThat(p.baseUrl()).isEqualTo("http://gpu-box:9000/v1");
    assertThat(p.maxTokensField()).isEqualTo("max_completion_tokens");
    assertThat(p.includeStreamUsage()).isFalse();
    assertThatThrownBy(() -> create("vllm", null, List.of(), Map.of("organization", "o"), name -> null))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("organization");
  }

  private RecordedRequest streamThrough(OpenAiCompatiblePreset preset, List<Secret> keys)
      throws Exception {
    OpenAiChatProvider p = create(preset.presetName(), server.url("/v1").toString(), keys, Map.of(),
        name -> null);
    server.enqueue(MockResponses.sse("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
    p.stream(ChatRequest.builder().model("some-model").user("hi").maxTokens(32).build(),
        CallContext.standalone(true)).collect();
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(OpenAiCompatiblePreset.class)
  void eachPresetSendsItsFieldsToItsChatCompletions(OpenAiCompatiblePreset preset) throws Exception {
    RecordedRequest recorded = streamThrough(preset, List.of(Secret.of(KEY)));
    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = mapper.readTree(recorded.getBody().utf8());
    assertThat(body.get("max_tokens").asInt()).isEqualTo(32);
    assertThat(body.has("max_completion_tokens")).isFalse();
    assertThat(body.has("stream_options")).isEqualTo(preset.includeStreamUsage());
  }

  @Test
  void aLocalServerWithoutKeyGetsNoAuthorization() throws Exception {
    assertThat(streamThrough(OpenAiCompatiblePreset.LMSTUDIO, List.of()).getHeaders()
        .get("Authorization")).isNull();
  }

  @Test
  void presetKeysRotateTwoKeysOverFourCalls() throws Exception {
    List<Secret> keys = List.of(Secret.of("key-a"), Secret.of("key-b"));
    OpenAiChatProvider p = create("groq", server.url("/openai/v1").toString(), keys, Map.of(),
        name -> null);
    List<String> used = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      server.enqueue(MockResponses.json(200, OpenAiTestSupport.SIMPLE_COMPLETION));
      p.chat(ChatRequest.builder().model("llama-3.3-70b-versatile").user("hi").build(),
          CallContext.standalone(false));
      RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(recorded.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
      used.add(recorded.getHeaders().get("Authorization"));
    }
    assertThat(used).containsExactly("Bearer key-a", "Bearer key-b", "Bearer key-a", "Bearer key-b");
  }

  @Test
  void theBuilderStartsFromThePreset() {
    OpenAiChatProvider p = OpenAiCompatiblePreset.DEEPSEEK.builder().apiKey(Secret.of(KEY)).build();
    assertThat(p.name()).isEqualTo("deepseek");
    assertThat(p.baseUrl()).isEqualTo("https://api.deepseek.com");
    assertThat(p.includeStreamUsage()).isTrue();
    assertThat(p.maxTokensField()).isEqualTo("max_tokens");
    p.close();
  }
}

package dev.llmgateway.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.SharedResources;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class BedrockProviderFactoryTest {
  private final BedrockProviderFactory factory = new BedrockProviderFactory();
  private final SharedResources resources = new SharedResources();

  private ProviderSettings.Builder settings(Map<String, String> env) {
    return ProviderSettings.builder("bedrock").environment(env::get).resources(resources);
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void isFoundThroughServiceLoaderUnderItsName() {
    assertThat(ServiceLoader.load(ChatProviderFactory.class).stream()
        .map(ServiceLoader.Provider::type)).contains(BedrockProviderFactory.class);
    assertThat(factory.names()).containsExactly("bedrock");
  }

  @Test
  void awsKeysFromTheEnvironmentGiveSigV4InTheEnvironmentsRegion() {
    BedrockChatProvider p = (BedrockChatProvider) factory.create(settings(env(
        "AWS_REGION", "ap-southeast-2", "AWS_DEFAULT_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", BedrockChatProviderTest.ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY", BedrockChatProviderTest.SECRET_KEY)).build());
    assertThat(p.authScheme()).isEqualTo("sigv4");
    assertThat(p.region()).isEqualTo("ap-southeast-2");
    assertThat(p.baseUrl()).isEqualTo("https://bedrock-runtime.ap-southeast-2.amazonaws.com");
    assertThat(p.name()).isEqualTo("bedrock");
    assertThat(p.httpClient()).isSameAs(SharedClients.httpClient(resources));
  }

  @Test
  void regionFallsBackToAwsDefaultRegionAndTheOptionWins() {
    Map<String, String> env = env("AWS_DEFAULT_REGION", "eu-west-1", "AWS_BEARER_TOKEN_BEDROCK", "k");
    assertThat(((BedrockChatProvider) factory.create(settings(env).build())).region())
        .isEqualTo("eu-west-1");
    assertThat(((BedrockChatProvider) factory.create(settings(env).option("region", "us-east-2")
        .build())).region()).isEqualTo("us-east-2");
  }

  @Test
  void sessionTokenIsSentWhenSet() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(BedrockChatProviderTest.json(200, BedrockChatProviderTest.textResponse()));
      BedrockChatProvider p = (BedrockChatProvider) factory.create(settings(env(
          "AWS_REGION", "us-east-1",
          "AWS_ACCESS_KEY_ID", BedrockChatProviderTest.ACCESS_KEY_ID,
          "AWS_SECRET_ACCESS_KEY", BedrockChatProviderTest.SECRET_KEY,
          "AWS_SESSION_TOKEN", BedrockChatProviderTest.SESSION_TOKEN))
          .baseUrl(server.url("/").toString()).build());
      p.chat(BedrockChatProviderTest.simple(), CallContext.standalone(false));
      RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(sent.getHeaders().get("x-amz-security-token"))
          .isEqualTo(BedrockChatProviderTest.SESSION_TOKEN);
      assertThat(sent.getHeaders().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential="
          + BedrockChatProviderTest.ACCESS_KEY_ID + "/");
    }
  }

  @Test
  void bedrockApiKeyFromTheEnvironmentWinsOverAwsKeys() {
    BedrockChatProvider p = (BedrockChatProvider) factory.create(settings(env(
        "AWS_REGION", "us-east-1", "AWS_BEARER_TOKEN_BEDROCK", BedrockChatProviderTest.API_KEY,
        "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret")).build());
    assertThat(p.authScheme()).isEqualTo("bearer");
  }

  @Test
  void settingsKeysAreBedrockApiKeys() {
    BedrockChatProvider p = (BedrockChatProvider) factory.create(settings(env(
        "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret"))
        .option("region", "us-east-1").apiKey("key-one").apiKey("key-two").build());
    assertThat(p.authScheme()).isEqualTo("bearer");
    assertThat(p.apiKeyCount()).isEqualTo(2);
  }

  @Test
  void baseUrlAndHeadersAreTaken() {
    BedrockChatProvider p = (BedrockChatProvider) factory.create(settings(env(
        "AWS_BEARER_TOKEN_BEDROCK", "k")).baseUrl("https://vpce-1.bedrock-runtime.example/")
        .header("X-Team", "search").build());
    assertThat(p.baseUrl()).isEqualTo("https://vpce-1.bedrock-runtime.example");
    assertThat(p.region()).isNull();
    assertThat(p.extraHeaderNames()).containsExactly("x-team");
  }

  @Test
  void missingCredentialsNameTheVariables() {
    assertThatThrownBy(() -> factory.create(settings(env("AWS_REGION", "us-east-1")).build()))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("AWS_ACCESS_KEY_ID").hasMessageContaining("AWS_SECRET_ACCESS_KEY")
        .hasMessageContaining("AWS_SESSION_TOKEN").hasMessageContaining("AWS_BEARER_TOKEN_BEDROCK");
    assertThatThrownBy(() -> factory.create(settings(env("AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "AKID")).build()))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("AWS_SECRET_ACCESS_KEY is not set");
    assertThatThrownBy(() -> factory.create(settings(env("AWS_REGION", "us-east-1",
        "AWS_SECRET_ACCESS_KEY", "the-secret")).build()))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("AWS_ACCESS_KEY_ID is not set").hasMessageNotContaining("the-secret");
  }

  @Test
  void missingRegionNamesTheOptionAndVariables() {
    assertThatThrownBy(() -> factory.create(settings(env("AWS_BEARER_TOKEN_BEDROCK", "k")).build()))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("'region'").hasMessageContaining("AWS_REGION")
        .hasMessageContaining("AWS_DEFAULT_REGION");
  }

  @Test
  void unknownOptionsFail() {
    assertThatThrownBy(() -> factory.create(settings(env("AWS_BEARER_TOKEN_BEDROCK", "k"))
        .option("regoin", "us-east-1").build()))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("regoin")
        .hasMessageContaining("[region]");
  }
}

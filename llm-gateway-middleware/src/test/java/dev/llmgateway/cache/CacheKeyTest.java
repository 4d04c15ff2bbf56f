package dev.llmgateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.cache.internal.CanonicalJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  private final CacheInterceptor cache = CacheInterceptor.create();

  private static ChatRequest.Builder base() {
    return ChatRequest.builder().model("fast").system("Be brief.").user("What is a fox?")
        .temperature(0.0);
  }

  private String key(UnaryOperator<ChatRequest.Builder> change) {
    return cache.keyFor(change.apply(base()).build());
  }

  @Test
  void keyIsAStableSha256UnderThePrefix() {
    String key = key(b -> b);
    assertThat(key).startsWith(CacheInterceptor.DEFAULT_KEY_PREFIX).hasSize(
        CacheInterceptor.DEFAULT_KEY_PREFIX.length() + 64);
    assertThat(CacheInterceptor.create().keyFor(base().build())).isEqualTo(key);
  }

  @Test
  void providerOptionOrderDoesNotChangeTheKey() {
    Map<String, Object> nestedAb = new LinkedHashMap<>();
    nestedAb.put("a", 1);
    nestedAb.put("b", List.of("x", Map.of("k", true)));
    Map<String, Object> nestedBa = new LinkedHashMap<>();
    nestedBa.put("b", List.of("x", Map.of("k", true)));
    nestedBa.put("a", 1.0);
    String one = key(b -> b.providerOption("reasoning_effort", "low").providerOption("extra", nestedAb));
    String two = key(b -> b.providerOption("extra", nestedBa).providerOption("reasoning_effort", "low"));
    assertThat(one).isEqualTo(two);
  }

  @Test
  void everyProviderOptionChangesTheKey() {
    String low = key(b -> b.providerOption("reasoning_effort", "low"));
    assertThat(low).isNotEqualTo(key(b -> b.providerOption("reasoning_effort", "high")))
        .isNotEqualTo(key(b -> b))
        .isNotEqualTo(key(b -> b.providerOption("reasoning_effort", "low").providerOption("top_k", 5)));
    assertThat(key(b -> b.providerOption("list", List.of(1, 2))))
        .as("list order is meaningful").isNotEqualTo(key(b -> b.providerOption("list", List.of(2, 1))));
  }

  @Test
  void jsonSchemaKeyOrderAndWhitespaceDoNotChangeTheKeyButItsContentDoes() {
    String compact = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    String spaced = "{ \"required\": [\"city\"],\n  \"properties\": { \"city\": {\"type\": \"string\"} },\n"
        + "  \"type\": \"object\" }";
    String other = "{\"type\":\"object\",\"properties\":{\"town\":{\"type\":\"string\"}},\"required\":[\"town\"]}";
    assertThat(key(b -> b.tool(ToolDefinition.of("weather", "Weather", compact))))
        .isEqualTo(key(b -> b.tool(ToolDefinition.of("weather", "Weather", spaced))))
        .isNotEqualTo(key(b -> b.tool(ToolDefinition.of("weather", "Weather", other))));
    assertThat(key(b -> b.responseFormat(ResponseFormat.jsonSchema("city", compact))))
        .isEqualTo(key(b -> b.responseFormat(ResponseFormat.jsonSchema("city", spaced))))
        .isNotEqualTo(key(b -> b.responseFormat(ResponseFormat.jsonSchema("city", other))))
        .isNotEqualTo(key(b -> b.responseFormat(ResponseFormat.jsonObject())));
  }

  @Test
  void canonicalJsonSortsKeysNormalizesNumbersAndKeepsInvalidTextVerbatim() {
    assertThat(CanonicalJson.ofText(" {\"b\": [1.50, 2e0], \"a\": \"\\u0041\"} "))
        .isEqualTo("{\"a\":\"A\",\"b\":[1.5,2]}");
    assertThat(CanonicalJson.ofText("{not json")).isEqualTo("raw:{not json");
  }

  @Test
  void metadataOtherThanTenantDoesNotChangeTheKey() {
    RequestMetadata one = new RequestMetadata("acme", "alice", "search", Map.of("feature", "a"));
    RequestMetadata two = new RequestMetadata("acme", "bob", "chat", Map.of("feature", "b"));
    assertThat(key(b -> b.metadata(one))).isEqualTo(key(b -> b.metadata(two)));
  }

  @Test
  void tenantsNeverShareKeysUnlessConfigured() {
    RequestMetadata acme = RequestMetadata.EMPTY.withTenant("acme");
    RequestMetadata globex = RequestMetadata.EMPTY.withTenant("globex");
    assertThat(key(b -> b.metadata(acme))).isNotEqualTo(key(b -> b.metadata(globex)))
        .isNotEqualTo(key(b -> b));
    assertThat(key(b -> b.metadata(RequestMetadata.EMPTY.withTenant("-"))))
        .as("a tenant named like the no-tenant marker").isNotEqualTo(key(b -> b));
    CacheInterceptor shared = CacheInterceptor.builder().shareAcrossTenants(true).build();
    assertThat(shared.keyFor(base().metadata(acme).build()))
        .isEqualTo(shared.keyFor(base().metadata(globex).build()));
  }

  @Test
  void everyAnswerChangingFieldChangesTheKey() {
    String plain = key(b -> b);
    List<UnaryOperator<ChatRequest.Builder>> changes = List.of(
        b -> b.model("smart"),
        b -> b.temperature(0.1),
        b -> b.topP(0.9),
        b -> b.maxTokens(100),
        b -> b.stop(List.of("\n")),
        b -> b.seed(42L),
        b -> b.frequencyPenalty(0.5),
        b -> b.presencePenalty(0.5),
        b -> b.parallelToolCalls(false),
        b -> b.tool(ToolDefinition.of("t", "d", ToolDefinition.EMPTY_PARAMETERS)),
        b -> b.tool(ToolDefinition.of("t", "d", ToolDefinition.EMPTY_PARAMETERS))
            .toolChoice(ToolChoice.required()),
        b -> b.responseFormat(ResponseFormat.jsonObject()),
        b -> b.user("and another thing"),
        b -> b.message(Message.user(ContentPart.Image.ofUrl("https://example.com/fox.png"))),
        b -> b.message(new Message(dev.llmgateway.Role.USER, List.of(new ContentPart.Text("x")), "ann")),
        b -> b.messages(List.of(Message.system("Be brief."), Message.user("What is a fox? "))));
    for (UnaryOperator<ChatRequest.Builder> change : changes) {
      assertThat(key(change)).isNotEqualTo(plain);
    }
  }

  @Test
  void numericallyEqualSamplingParametersShareAKey() {
    assertThat(key(b -> b.temperature(0.0))).isEqualTo(key(b -> b.temperature(-0.0 + 0.0)));
    assertThat(key(b -> b.providerOption("top_k", 40))).isEqualTo(key(b -> b.providerOption("top_k", 40.0)));
  }

  @Test
  void theGroupIsPartOfTheKey() {
    ChatRequest request = base().build();
    assertThat(cache.keyFor(request, "primary")).isNotEqualTo(cache.keyFor(request, "backup"));
    assertThat(cache.keyFor(request)).isEqualTo(cache.keyFor(request, "fast"));
  }
}

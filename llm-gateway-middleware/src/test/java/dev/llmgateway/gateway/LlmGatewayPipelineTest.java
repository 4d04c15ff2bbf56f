package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.RequestInterceptor;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LlmGatewayPipelineTest {

  private static ChatRequest ask(String model, String text) {
    return ChatRequest.builder().model(model).user(text).build();
  }

  /** An interceptor that records its name before and after the rest of the chain, in both modes. */
  private static Interceptor recording(String name, List<String> trace) {
    return new Interceptor() {
      @Override
      public ChatResponse intercept(ChatRequest request, Chain chain) {
        trace.add(name + ">");
        ChatResponse response = chain.proceed(request);
        trace.add("<" + name);
        return response;
      }

      @Override
      public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
        trace.add(name + ">");
        ChatStream stream = chain.proceed(request);
        trace.add("<" + name);
        return stream;
      }
    };
  }

  @Test
  void interceptorsRunInBuilderOrderForBlockingAndStreamingCalls() {
    List<String> trace = new CopyOnWriteArrayList<>();
    ScriptedProvider provider = new ScriptedProvider("p");
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addInterceptor(recording("a", trace)).addInterceptor(recording("b", trace)).build()) {
      gateway.chat(ask("p/m", "hi"));
      assertThat(trace).containsExactly("a>", "b>", "<b", "<a");
      trace.clear();
      gateway.stream(ask("p/m", "hi")).collect();
      assertThat(trace).containsExactly("a>", "b>", "<b", "<a");
    }
  }

  @Test
  void interceptorCanRewriteTheRequestTheProviderReceives() {
    ScriptedProvider provider = new ScriptedProvider("p");
    Interceptor addSystem = (request, chain) -> chain.proceed(request.toBuilder()
        .messages(prepend(Message.system("be brief"), request.messages())).build());
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addInterceptor(addSystem).build()) {
      gateway.chat(ask("p/m", "hi"));
    }
    assertThat(provider.received.get(0).messages()).extracting(Message::text)
        .containsExactly("be brief", "hi");
  }

  private static List<Message> prepend(Message first, List<Message> rest) {
    List<Message> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  @Test
  void interceptorCanShortCircuitWithoutCallingTheProvider() {
    ScriptedProvider provider = new ScriptedProvider("p");
    ChatResponse canned = ScriptedProvider.echo(ask("p/m", "canned"), null);
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addInterceptor((request, chain) -> canned).build()) {
      assertThat(gateway.chat(ask("p/m", "hi"))).isSameAs(canned);
    }
    assertThat(provider.received).isEmpty();
  }

  @Test
  void interceptorCanProceedMoreThanOnce() {
    ScriptedProvider provider = new ScriptedProvider("p");
    AtomicInteger calls = new AtomicInteger();
    provider.answer = (request, context) -> {
      if (calls.incrementAndGet() == 1) {
        throw new ProviderUnavailableException("first attempt fails");
      }
      return ScriptedProvider.echo(request, context);
    };
    Interceptor retryOnce = (request, chain) -> {
      try {
        return chain.proceed(request);
      } catch (ProviderUnavailableException e) {
        return chain.proceed(request);
      }
    };
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addInterceptor(retryOnce).build()) {
      assertThat(gateway.chat(ask("p/m", "again")).text()).isEqualTo("echo: again");
    }
    assertThat(provider.received).hasSize(2);
    assertThat(provider.contexts.get(0)).isSameAs(provider.contexts.get(1));
  }

  @Test
  void interceptorCanWrapAStream() {
    ScriptedProvider provider = new ScriptedProvider("p");
    Interceptor upperCase = new Interceptor() {
      @Override
      public ChatResponse intercept(ChatRequest request, Chain chain) {
        return chain.proceed(request);
      }

      @Override
      public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
        return chain.proceed(request).map(chunk -> chunk instanceof ChatChunk.TextDelta t
            ? new ChatChunk.TextDelta(t.text().toUpperCase(Locale.ROOT)) : chunk);
      }
    };
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addInterceptor(upperCase).build()) {
      ChatResponse response = gateway.stream(ask("p/m", "shout")).collect();
      assertThat(response.text()).isEqualTo("ECHO: SHOUT");
      assertThat(response.usage().inputTokens()).isEqualTo(3);
    }
    assertThat(provider.streamsClosed).hasValue(1);
  }

  @Test
  void blockingOnlyInterceptorFailsLoudlyOnAStream() {
    ScriptedProvider provider = new ScriptedProvider("p");
    Interceptor blockingOnly = (request, chain) -> chain.proceed(request);
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addInterceptor(blockingOnly).build()) {
      assertThatThrownBy(() -> gateway.stream(ask("p/m", "hi")))
          .isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageContaining("supports only blocking calls");
    }
    assertThat(provider.received).isEmpty();
  }

  @Test
  void requestInterceptorLambdaAppliesToBothModes() {
    ScriptedProvider provider = new ScriptedProvider("p");
    RequestInterceptor tenant = (request, context) ->
        request.toBuilder().metadata(request.metadata().withTenant("acme")).build();
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addRequestInterceptor(tenant).build()) {
      gateway.chat(ask("p/m", "a"));
      gateway.stream(ask("p/m", "b")).collect();
    }
    assertThat(provider.received).extracting(r -> r.metadata().tenant()).containsExactly("acme", "acme");
  }

  @Test
  void interceptorReturningNullIsNamedInTheError() {
    ScriptedProvider provider = new ScriptedProvider("p");
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addInterceptor(new NullInterceptor()).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("p/m", "hi")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(NullInterceptor.class.getName())
          .hasMessageContaining("returned null");
    }
  }

  private static final class NullInterceptor implements Interceptor {
    @Override
    public ChatResponse intercept(ChatRequest request, Chain chain) {
      return null;
    }
  }

  @Test
  void aliasesAndProviderPrefixesResolveToTheNativeModel() {
    ScriptedProvider provider = new ScriptedProvider("p");
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .alias("fast", "p/small-model").build()) {
      gateway.chat(ask("fast", "a"));
      gateway.chat(ask("p/other-model", "b"));
      gateway.chat(ask("org/model-with-slash", "c")); // single explicit provider is the default
    }
    assertThat(provider.received).extracting(ChatRequest::model)
        .containsExactly("small-model", "other-model", "org/model-with-slash");
  }

  @Test
  void unknownModelFailsNamingTheModelWhenThereIsNoDefaultProvider() {
    try (LlmGateway gateway = LlmGateway.builder().provider(new ScriptedProvider("p"))
        .provider(new ScriptedProvider("q")).logging(false).discoverProviders(false).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("nonexistent", "hi")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("'nonexistent'");
      assertThatThrownBy(() -> gateway.chat(ask("nowhere/model", "hi")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("'nowhere'");
    }
  }

  @Test
  void aliasToAnUnknownProviderFailsWhenBuilt() {
    assertThatThrownBy(() -> LlmGateway.builder().discoverProviders(false)
        .alias("fast", "nowhere/model").build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("'nowhere'");
  }

  @Test
  void discoveredFactoryServesItsProviderWithoutRegistration() {
    try (LlmGateway gateway = LlmGateway.builder().logging(false).build()) {
      assertThat(gateway.providerNames()).contains("discovered", "needs-key");
      assertThat(gateway.chat(ask("discovered/m", "found")).text()).isEqualTo("echo: found");
    }
  }

  @Test
  void explicitProviderWinsOverADiscoveredOneOfTheSameName() {
    ScriptedProvider mine = new ScriptedProvider("discovered");
    try (LlmGateway gateway = LlmGateway.builder().provider(mine).logging(false).build()) {
      gateway.chat(ask("discovered/m", "mine"));
    }
    assertThat(mine.received).hasSize(1);
  }

  @Test
  void missingKeyFailsWhenTheGatewayIsBuiltNotOnTheFirstCall() {
    assertThatThrownBy(() -> LlmGateway.builder().environment(name -> null)
        .alias("x", "needs-key/model").build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("TEST_PROVIDER_KEY");
    try (LlmGateway gateway = LlmGateway.builder().logging(false)
        .environment(name -> name.equals("TEST_PROVIDER_KEY") ? "k" : null)
        .alias("x", "needs-key/model").build()) {
      assertThat(gateway.resolve("x")).isEqualTo(new ModelRef("needs-key", "model"));
    }
  }

  @Test
  void configuredProviderSettingsReachTheFactory() {
    try (LlmGateway gateway = LlmGateway.builder().logging(false).environment(name -> null)
        .configureProvider("needs-key", s -> s.apiKey("configured-key")).build()) {
      assertThat(gateway.chat(ask("needs-key/m", "ok")).text()).isEqualTo("echo: ok");
    }
  }

  @Test
  void requestNeedingToolsIsRefusedBeforeTheCallWhenTheProviderHasNone() {
    ScriptedProvider provider = new ScriptedProvider("p");
    provider.capabilities = new ProviderCapabilities(false, true, true, true);
    ChatRequest withTool = ask("p/m", "hi").toBuilder()
        .tool(ToolDefinition.of("lookup", "finds things", ToolDefinition.EMPTY_PARAMETERS)).build();
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false).build()) {
      assertThatThrownBy(() -> gateway.chat(withTool))
          .isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageContaining("does not support tools");
    }
    assertThat(provider.received).isEmpty();
  }

  @Test
  void defaultsMatchTheDocumentedValues() {
    assertThat(LlmGatewayBuilder.DEFAULT_LOGGING).isTrue();
    assertThat(LlmGatewayBuilder.DEFAULT_DISCOVER_PROVIDERS).isTrue();
    try (LlmGateway gateway = LlmGateway.builder().build()) {
      assertThat(gateway.listeners()).hasAtLeastOneElementOfType(
          dev.llmgateway.observe.LoggingChatEventListener.class);
      assertThat(gateway.providerNames()).contains("discovered");
      assertThat(gateway.interceptors()).isEmpty();
    }
    try (LlmGateway gateway = LlmGateway.builder().logging(false).discoverProviders(false).build()) {
      assertThat(gateway.listeners()).isEmpty();
      assertThat(gateway.providerNames()).isEmpty();
    }
  }
}

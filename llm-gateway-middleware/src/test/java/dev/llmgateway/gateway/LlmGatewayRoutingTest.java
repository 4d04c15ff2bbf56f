package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.resilience.CircuitBreakerHealth;
import dev.llmgateway.resilience.CircuitBreakerPolicy;
import dev.llmgateway.resilience.HedgeAwareStrategy;
import dev.llmgateway.resilience.HedgePolicy;
import dev.llmgateway.resilience.HedgingInterceptor;
import dev.llmgateway.resilience.RetryInterceptor;
import dev.llmgateway.resilience.RetryPolicy;
import dev.llmgateway.resilience.TimeoutInterceptor;
import dev.llmgateway.resilience.TimeoutPolicy;
import dev.llmgateway.routing.CooldownHealth;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.FirstAvailableStrategy;
import dev.llmgateway.routing.GroupSelector;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Routing and resilience configured through {@link LlmGatewayBuilder}, with in-process providers. */
class LlmGatewayRoutingTest {
  private static final RetryPolicy NO_WAIT_RETRIES = RetryPolicy.builder()
      .initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build();

  private final ScriptedProvider a = new ScriptedProvider("a");
  private final ScriptedProvider b = new ScriptedProvider("b");

  private static ChatRequest ask(String model) {
    return ChatRequest.builder().model(model).user("hi").build();
  }

  /** Group "chat": deployment "a" first, "b" second. */
  private static ModelGroup chat() {
    return ModelGroup.builder("chat")
        .deployment(Deployment.of("a", "a/m"))
        .deployment(Deployment.of("b", "b/m"))
        .strategy(FirstAvailableStrategy.INSTANCE)
        .build();
  }

  private LlmGatewayBuilder builder() {
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(a).provider(b);
  }

  private static BiFunction<ChatRequest, CallContext, ChatResponse> failing() {
    return (request, context) -> {
      throw new ProviderUnavailableException("HTTP 503 from the test");
    };
  }

  /** Blocks until the call (or its attempt) is cancelled, then fails as a cancelled call does. */
  private static ChatResponse hangUntilCancelled(ChatRequest request, CallContext context) {
    CountDownLatch cancelled = new CountDownLatch(1);
    context.onCancel(cancelled::countDown);
    try {
      cancelled.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new CallCancelledException("the test call was cancelled");
  }

  private static List<String> describe(List<Attempt> attempts) {
    return attempts.stream().map(x -> x.deploymentId() + " " + x.target() + " " + x.outcome()
        + (x.errorType() == null ? "" : " " + x.errorType().substring(x.errorType().lastIndexOf('.') + 1)))
        .toList();
  }

  @Test
  void routingAndResilienceDefaultsMatchTheDocumentedValues() {
    assertThat(LlmGatewayBuilder.DEFAULT_RETRIES).isEqualTo(RetryPolicy.none());
    assertThat(LlmGatewayBuilder.DEFAULT_RETRIES.maxAttempts()).isEqualTo(1);
    assertThat(LlmGatewayBuilder.DEFAULT_TIMEOUTS).isEqualTo(TimeoutPolicy.NONE);
    assertThat(LlmGatewayBuilder.DEFAULT_TIMEOUTS_BY_GROUP).isEmpty();
    assertThat(LlmGatewayBuilder.DEFAULT_HEDGING).isEmpty();
    assertThat(LlmGatewayBuilder.DEFAULT_CIRCUIT_BREAKERS).isNull();
    assertThat(LlmGatewayBuilder.DEFAULT_INTERCEPTOR_POSITION).isEqualTo(InterceptorPosition.OUTERMOST);

    try (LlmGateway gateway = builder().build()) {
      assertThat(gateway.router()).isNull();
      assertThat(gateway.modelGroups()).isEmpty();
      assertThat(gateway.interceptors()).as("no built-in unless configured").isEmpty();
    }
    try (LlmGateway gateway = builder().modelGroup(chat()).build()) {
      RouterInterceptor router = gateway.router();
      assertThat(router).isNotNull();
      assertThat(gateway.interceptors()).containsExactly(router);
      assertThat(router.health()).as("cooldowns, not breakers").isInstanceOf(CooldownHealth.class);
      assertThat(router.modelCatalog()).as("the gateway's catalog").isSameAs(gateway.modelCatalog());
      assertThat(gateway.modelGroups()).containsOnlyKeys("chat");
      assertThat(gateway.modelGroups().get("chat").strategy()).as("not hedged, not wrapped")
          .isSameAs(FirstAvailableStrategy.INSTANCE);
    }
  }

  @Test
  void builtInsSitInTheDesignOrderAndHostInterceptorsOutsideThemByDefault() {
    Interceptor outer1 = (request, chain) -> chain.proceed(request);
    Interceptor outer2 = (request, chain) -> chain.proceed(request);
    Interceptor beforeRouter = (request, chain) -> chain.proceed(request);
    Interceptor afterRouter = (request, chain) -> chain.proceed(request);
    Interceptor beforeProvider = (request, chain) -> chain.proceed(request);
    TimeoutPolicy timeouts = new TimeoutPolicy(Duration.ofSeconds(30), Duration.ofSeconds(5),
        Duration.ofSeconds(10));
    try (LlmGateway gateway = builder()
        .addInterceptor(InterceptorPosition.BEFORE_PROVIDER, beforeProvider)
        .addInterceptor(outer1)
        .addInterceptor(InterceptorPosition.AFTER_ROUTER, afterRouter)
        .addInterceptor(InterceptorPosition.BEFORE_ROUTER, beforeRouter)
        .modelGroup(chat())
        .retries(NO_WAIT_RETRIES)
        .timeouts(timeouts, Map.of("chat", TimeoutPolicy.NONE.withFirstToken(Duration.ofSeconds(1))))
        .hedging(Map.of("chat", HedgePolicy.fixed(Duration.ofSeconds(2))))
        .addInterceptor(outer2)
        .build()) {
      List<Interceptor> chain = gateway.interceptors();
      assertThat(chain).hasSize(10);
      assertThat(chain.get(0)).isSameAs(outer1);
      assertThat(chain.get(1)).isSameAs(outer2);
      assertThat(chain.get(2)).isInstanceOf(TimeoutInterceptor.class);
      assertThat(chain.get(3)).isInstanceOf(HedgingInterceptor.class);
      assertThat(chain.get(4)).isSameAs(beforeRouter);
      assertThat(chain.get(5)).isSameAs(gateway.router());
      assertThat(chain.get(6)).isSameAs(afterRouter);
      assertThat(chain.get(7)).isInstanceOf(RetryInterceptor.class);
      assertThat(chain.get(8)).isInstanceOf(TimeoutInterceptor.class);
      assertThat(chain.get(9)).isSameAs(beforeProvider);

      TimeoutInterceptor wholeCall = (TimeoutInterceptor) chain.get(2);
      TimeoutInterceptor perAttempt = (TimeoutInterceptor) chain.get(8);
      assertThat(wholeCall.limits()).containsExactly(TimeoutPolicy.Limit.WHOLE_CALL);
      assertThat(perAttempt.limits()).containsExactly(TimeoutPolicy.Limit.FIRST_TOKEN, TimeoutPolicy.Limit.IDLE);
      assertThat(wholeCall.defaultPolicy()).isEqualTo(timeouts);
      assertThat(perAttempt.groups()).containsOnlyKeys("chat");
      assertThat(((RetryInterceptor) chain.get(7)).policy()).isEqualTo(NO_WAIT_RETRIES);
      assertThat(((HedgingInterceptor) chain.get(3)).groups()).containsOnlyKeys("chat");
      assertThat(gateway.modelGroups().get("chat").strategy())
          .as("a hedge must go to another deployment").isInstanceOf(HedgeAwareStrategy.class);
    }
  }

  @Test
  void hostInterceptorsRunOnceAroundTheRoutingOrOncePerDeploymentAsPlaced() {
    a.answer = failing();
    List<String> trace = new CopyOnWriteArrayList<>();
    Interceptor outer = (request, chain) -> {
      trace.add("outer " + request.model());
      return chain.proceed(request);
    };
    Interceptor perDeployment = (request, chain) -> {
      trace.add("after-router " + request.model() + " "
          + chain.context().get(RouterInterceptor.DEPLOYMENT).id());
      return chain.proceed(request);
    };
    try (LlmGateway gateway = builder().modelGroup(chat()).addInterceptor(outer)
        .addInterceptor(InterceptorPosition.AFTER_ROUTER, perDeployment).build()) {
      gateway.chat(ask("chat"));
    }
    assertThat(trace).containsExactly("outer chat", "after-router a/m a", "after-router b/m b");
  }

  @Test
  void aModelGroupNamedLikeAnAliasIsRejected() {
    assertThatThrownBy(() -> builder().alias("chat", "a/m").modelGroup(chat()).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("model group 'chat' has the name of an alias");
  }

  @Test
  void aDeploymentOfAnUnknownProviderFailsTheBuildNamingItAndTheDeployment() {
    ModelGroup group = ModelGroup.builder("chat").deployment(Deployment.of("x", "nowhere/m")).build();
    assertThatThrownBy(() -> builder().modelGroup(group).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("provider 'nowhere' is named by deployment 'x' of model group 'chat'");
  }

  @Test
  void aDeploymentWhoseProviderLacksItsKeyFailsWhenTheGatewayIsBuilt() {
    ModelGroup group = ModelGroup.builder("chat").deployment(Deployment.of("k", "needs-key/m")).build();
    assertThatThrownBy(() -> LlmGateway.builder().logging(false).environment(name -> null)
        .modelGroup(group).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("needs-key");
    try (LlmGateway gateway = LlmGateway.builder().logging(false)
        .environment(name -> name.equals("TEST_PROVIDER_KEY") ? "k" : null).modelGroup(group).build()) {
      assertThat(gateway.chat(ask("chat")).text()).isEqualTo("echo: hi");
    }
  }

  @Test
  void circuitBreakersBecomeTheRoutersHealth() {
    CircuitBreakerPolicy policy = CircuitBreakerPolicy.builder().minimumCalls(2).slidingWindowSize(2).build();
    try (LlmGateway gateway = builder().modelGroup(chat()).circuitBreakers(policy).build()) {
      assertThat(gateway.router().health()).isInstanceOfSatisfying(CircuitBreakerHealth.class,
          health -> assertThat(health.policy()).isEqualTo(policy));
    }
  }

  @Test
  void circuitBreakersContradictAHealthSetInRoutingAndNeedModelGroups() {
    assertThatThrownBy(() -> builder().modelGroup(chat()).circuitBreakers(CircuitBreakerPolicy.DEFAULT)
        .routing(router -> router.health(CooldownHealth.create())).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("circuitBreakers(...) and a health set in routing(...)");
    assertThatThrownBy(() -> builder().circuitBreakers(CircuitBreakerPolicy.DEFAULT).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("no modelGroup(...) is configured");
  }

  @Test
  void hedgingNamesModelGroupsOnly() {
    assertThatThrownBy(() -> builder().modelGroup(chat())
        .hedging(Map.of("chta", HedgePolicy.fixed(Duration.ofSeconds(1)))).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("hedging(...) names 'chta', which is not a model group");
  }

  @Test
  void routingCustomizersRunAfterTheGatewaysOwnSettings() {
    ModelCatalog empty = ModelCatalog.empty();
    ModelGroup premium = ModelGroup.builder("chat-premium").deployment(Deployment.of("p", "b/big")).build();
    GroupSelector gold = request -> "gold".equals(request.metadata().tags().get("plan")) ? "chat-premium" : null;
    try (LlmGateway gateway = builder().modelGroup(chat())
        .routing(router -> router.modelCatalog(empty))
        .routing(router -> router.group(premium).groupSelector(gold))
        .build()) {
      assertThat(gateway.router().modelCatalog()).isSameAs(empty);
      assertThat(gateway.modelGroups()).containsOnlyKeys("chat", "chat-premium");
      ChatRequest goldRequest = ChatRequest.builder().model("chat").user("hi")
          .metadata(RequestMetadata.EMPTY.withTags(Map.of("plan", "gold"))).build();
      assertThat(gateway.chat(goldRequest).attempts()).extracting(Attempt::deploymentId).containsExactly("p");
    }
  }

  @Test
  void resolveKnowsModelGroups() {
    try (LlmGateway gateway = builder().alias("fast", "b/small").modelGroup(chat()).build()) {
      assertThat(gateway.resolve("chat")).isEqualTo(new ModelRef("a", "m"));
      assertThat(gateway.resolve("fast")).isEqualTo(new ModelRef("b", "small"));
      assertThat(gateway.resolve("b/other")).isEqualTo(new ModelRef("b", "other"));
    }
  }

  @Test
  void theBlockingAnswerListsEveryDeploymentTried() {
    a.answer = failing();
    try (LlmGateway gateway = builder().modelGroup(chat()).build()) {
      ChatResponse response = gateway.chat(ask("chat"));

      assertThat(response.text()).isEqualTo("echo: hi");
      assertThat(describe(response.attempts()))
          .containsExactly("a a/m FAILED ProviderUnavailableException", "b b/m SUCCEEDED");
      assertThat(response.attempts().get(0).errorMessage()).contains("HTTP 503 from the test");
      assertThat(response.attempts()).allSatisfy(x -> assertThat(x.group()).isEqualTo("chat"));

      assertThat(gateway.chat(ask("b/m")).attempts()).as("not routed: no attempts").isEmpty();
    }
  }

  @Test
  void aCallbackStreamCompletesWithTheAttempts() throws Exception {
    a.answer = failing();
    List<ChatResponse> completed = new CopyOnWriteArrayList<>();
    try (LlmGateway gateway = builder().modelGroup(chat()).build()) {
      ChatResponse response = gateway.stream(ask("chat"), CallOptions.DEFAULT, new StreamHandler() {
        @Override
        public void onChunk(ChatChunk chunk) {}

        @Override
        public void onComplete(ChatResponse response) {
          completed.add(response);
        }
      }).get(10, TimeUnit.SECONDS);

      assertThat(response.text()).isEqualTo("echo: hi");
      assertThat(describe(response.attempts()))
          .containsExactly("a a/m FAILED ProviderUnavailableException", "b b/m SUCCEEDED");
      assertThat(completed).singleElement().isEqualTo(response);
    }
  }

  @Test
  void aPullStreamsAttemptsReachTheListenerTheContextAndCollect() {
    a.answer = failing();
    AtomicReference<ChatResponse> ended = new AtomicReference<>();
    AtomicReference<CallContext> call = new AtomicReference<>();
    ChatEventListener listener = new ChatEventListener() {
      @Override
      public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
        call.set(context);
        ended.set(response);
      }
    };
    try (LlmGateway gateway = builder().modelGroup(chat()).addListener(listener).build()) {
      ChatResponse collected;
      try (ChatStream stream = gateway.stream(ask("chat"))) {
        collected = stream.collect();
      }
      assertThat(collected.text()).isEqualTo("echo: hi");
      assertThat(describe(collected.attempts())).as("collect() on the gateway's stream adds them")
          .containsExactly("a a/m FAILED ProviderUnavailableException", "b b/m SUCCEEDED");
      assertThat(describe(ended.get().attempts()))
          .containsExactly("a a/m FAILED ProviderUnavailableException", "b b/m SUCCEEDED");
      assertThat(call.get().get(RouterInterceptor.ATTEMPTS).attempts())
          .isEqualTo(ended.get().attempts());
    }
  }

  @Test
  void whenNoDeploymentIsLeftTheExceptionListsTheAttempts() {
    a.answer = failing();
    b.answer = failing();
    try (LlmGateway gateway = builder().modelGroup(chat()).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("chat")))
          .isInstanceOfSatisfying(NoDeploymentAvailableException.class, e -> {
            assertThat(describe(e.attemptLog())).containsExactly(
                "a a/m FAILED ProviderUnavailableException", "b b/m FAILED ProviderUnavailableException");
            assertThat(e.attempts()).hasSize(2);
          });
    }
  }

  @Test
  void retriesWithoutModelGroupsRetryTheProvider() {
    AtomicInteger calls = new AtomicInteger();
    a.answer = (request, context) -> {
      if (calls.incrementAndGet() == 1) {
        throw new ProviderUnavailableException("HTTP 502 from the test");
      }
      return ScriptedProvider.echo(request, context);
    };
    try (LlmGateway gateway = builder().retries(NO_WAIT_RETRIES).build()) {
      assertThat(gateway.interceptors()).singleElement().isInstanceOf(RetryInterceptor.class);
      assertThat(gateway.chat(ask("a/m")).text()).isEqualTo("echo: hi");
    }
    assertThat(calls).hasValue(2);
  }

  @Test
  void retryPolicyNoneInstallsNoRetryInterceptor() {
    try (LlmGateway gateway = builder().retries(RetryPolicy.none()).build()) {
      assertThat(gateway.interceptors()).isEmpty();
    }
  }

  @Test
  void aFirstTokenTimeoutBoundsEachAttemptSoTheTimedOutOneIsRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    a.answer = (request, context) -> calls.incrementAndGet() == 1
        ? hangUntilCancelled(request, context) : ScriptedProvider.echo(request, context);
    ModelGroup single = ModelGroup.builder("chat").deployment(Deployment.of("a", "a/m")).build();
    try (LlmGateway gateway = builder().modelGroup(single).retries(NO_WAIT_RETRIES)
        .timeouts(TimeoutPolicy.NONE, Map.of("chat", TimeoutPolicy.NONE.withFirstToken(Duration.ofMillis(50))))
        .build()) {
      ChatResponse response = gateway.stream(ask("chat"), CallOptions.DEFAULT, chunk -> {})
          .get(10, TimeUnit.SECONDS);

      assertThat(response.text()).isEqualTo("echo: hi");
      assertThat(calls).hasValue(2);
      assertThat(describe(response.attempts())).as("the retry is inside the one routed attempt")
          .containsExactly("a a/m SUCCEEDED");
    }
  }

  @Test
  void aWholeCallTimeoutBoundsTheCallRetriesIncluded() {
    a.answer = LlmGatewayRoutingTest::hangUntilCancelled;
    b.answer = LlmGatewayRoutingTest::hangUntilCancelled;
    try (LlmGateway gateway = builder().modelGroup(chat()).retries(NO_WAIT_RETRIES)
        .timeouts(TimeoutPolicy.NONE.withWholeCall(Duration.ofMillis(50)), Map.of()).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("chat")))
          .isInstanceOfSatisfying(LlmTimeoutException.class, e -> {
            assertThat(e.getMessage()).contains("whole-call timeout of PT0.05S");
            assertThat(e.isRetryable()).isFalse();
          });
    }
    assertThat(b.received).as("a cancellation is not failed over").isEmpty();
  }

  @Test
  void aRequestsOwnTimeoutPolicyAppliesOnceTimeoutsAreInstalled() {
    a.answer = LlmGatewayRoutingTest::hangUntilCancelled;
    CallOptions options = CallOptions.DEFAULT.with(TimeoutPolicy.CALL_OPTION,
        TimeoutPolicy.NONE.withWholeCall(Duration.ofMillis(50)));
    try (LlmGateway gateway = builder().timeouts(TimeoutPolicy.NONE, Map.of()).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("a/m"), options))
          .isInstanceOf(LlmTimeoutException.class)
          .hasMessageContaining("whole-call timeout");
    }
  }

  @Test
  void aHedgedCallIsAnsweredByTheOtherDeploymentAndTheSlowOneCancelled() {
    a.answer = LlmGatewayRoutingTest::hangUntilCancelled;
    AtomicReference<CallContext> call = new AtomicReference<>();
    ChatEventListener listener = new ChatEventListener() {
      @Override
      public void onCallStart(CallContext context, ChatRequest request) {
        call.set(context);
      }
    };
    try (LlmGateway gateway = builder().modelGroup(chat()).addListener(listener)
        .hedging(Map.of("chat", HedgePolicy.fixed(Duration.ofMillis(20)))).build()) {
      ChatResponse response = gateway.chat(ask("chat"));

      assertThat(response.provider()).isEqualTo("scripted");
      assertThat(b.received).hasSize(1);
      assertThat(response.attempts()).extracting(Attempt::deploymentId).contains("b");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(describe(call.get().get(RouterInterceptor.ATTEMPTS).attempts()))
              .as("the loser is recorded when it ends, which may be after the answer")
              .containsExactlyInAnyOrder("a a/m FAILED CallCancelledException", "b b/m SUCCEEDED"));
    }
  }

  @Test
  void groupOfASelectedGroupDecidesItsTimeouts() {
    Set<String> seen = new CopyOnWriteArraySet<>();
    GroupSelector always = request -> "chat".equals(request.model()) ? "chat-eu" : null;
    ModelGroup eu = ModelGroup.builder("chat-eu").deployment(Deployment.of("eu", "b/m")).build();
    Interceptor recordDeadline = (request, chain) -> {
      if (chain.context().get(TimeoutInterceptor.DEADLINE) != null) {
        seen.add("deadline");
      }
      return chain.proceed(request);
    };
    try (LlmGateway gateway = builder().modelGroup(chat()).modelGroup(eu)
        .routing(router -> router.groupSelector(always))
        .timeouts(TimeoutPolicy.NONE, Map.of("chat-eu", TimeoutPolicy.NONE.withWholeCall(Duration.ofMinutes(1))))
        .addInterceptor(InterceptorPosition.BEFORE_ROUTER, recordDeadline)
        .build()) {
      ChatResponse response = gateway.chat(ask("chat"));
      assertThat(response.attempts()).extracting(Attempt::deploymentId).containsExactly("eu");
    }
    assertThat(seen).as("the selected group's whole-call limit applied").containsExactly("deadline");
  }
}

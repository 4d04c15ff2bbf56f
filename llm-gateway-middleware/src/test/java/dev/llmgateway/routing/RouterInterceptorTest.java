package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.gateway.LlmGatewayBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import dev.llmgateway.testkit.ManualClock;

/** The router over in-test providers that fail on demand: choosing, failing over, cooldowns, visibility. */
class RouterInterceptorTest {
  private static final int WAIT_SECONDS = 10;

  private final ManualClock clock = new ManualClock();
  private final RecordingListener events = new RecordingListener();
  private final TestProvider a = new TestProvider("a");
  private final TestProvider b = new TestProvider("b");
  private final TestProvider c = new TestProvider("c");
  private final TestProvider d = new TestProvider("d");

  private LlmGateway gateway(RouterInterceptor router) {
    LlmGatewayBuilder builder = LlmGateway.builder().discoverProviders(false).logging(false)
        .addListener(events).addInterceptor(router);
    for (TestProvider p : List.of(a, b, c, d)) {
      builder.provider(p);
    }
    return builder.build();
  }

  private RouterInterceptor.Builder router() {
    return RouterInterceptor.builder().clock(clock).modelCatalog(ModelCatalog.empty());
  }

  /** A group trying its deployments in order; each deployment is named after its provider. */
  private static ModelGroup.Builder ordered(String name, String... providers) {
    ModelGroup.Builder group = ModelGroup.builder(name).strategy(FirstAvailableStrategy.INSTANCE);
    for (String p : providers) {
      group.deployment(Deployment.of(p, p + "/model-" + p));
    }
    return group;
  }

  private static ChatRequest ask(String model) {
    return ChatRequest.builder().model(model).user("hello").build();
  }

  private static Function<String, LlmException> unavailable(String provider) {
    return model -> new ProviderUnavailableException("503 from " + provider,
        ErrorContext.of(provider, model).withHttpStatus(503), null);
  }

  private List<String> attemptSummary() {
    CallContext context = events.ended.get(events.ended.size() - 1);
    AttemptLog log = context.get(RouterInterceptor.ATTEMPTS);
    assertThat(log).as("the attempt log").isNotNull();
    return log.attempts().stream().map(t -> t.deploymentId() + ":" + t.outcome()).toList();
  }

  @Test
  void modelsThatNameNoGroupPassThroughUntouched() {
    try (LlmGateway gateway = gateway(router().group(ordered("fast", "a").build()).build())) {
      ChatResponse response = gateway.chat(ask("b/native"));

      assertThat(response.provider()).isEqualTo("b");
      assertThat(b.received).extracting(ChatRequest::model).containsExactly("native");
      assertThat(a.received).isEmpty();
      assertThat(events.ended.get(0).get(RouterInterceptor.ATTEMPTS)).isNull();
    }
  }

  @Test
  void rewritesTheModelToTheChosenDeploymentsTarget() {
    try (LlmGateway gateway = gateway(router().group(ordered("fast", "a").build()).build())) {
      ChatResponse response = gateway.chat(ask("fast"));

      assertThat(response.text()).isEqualTo("from a");
      assertThat(a.received).extracting(ChatRequest::model).containsExactly("model-a");
      assertThat(attemptSummary()).containsExactly("a:SUCCEEDED");
      CallContext context = events.ended.get(0);
      assertThat(context.get(RouterInterceptor.GROUP)).isEqualTo("fast");
      assertThat(context.get(RouterInterceptor.DEPLOYMENT)).isEqualTo(Deployment.of("a", "a/model-a"));
    }
  }

  @Test
  void failsOverToTheNextDeploymentThenToTheGeneralFallbacks() {
    a.failWith(unavailable("a"));
    b.failWith(unavailable("b"));
    RouterInterceptor router = router().group(ordered("main", "a", "b").fallbacks("backup").build())
        .group(ordered("backup", "c").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from c");
    }
    assertThat(List.of(a.received.size(), b.received.size(), c.received.size())).containsExactly(1, 1, 1);
    assertThat(attemptSummary()).containsExactly("a:FAILED", "b:FAILED", "c:SUCCEEDED");
    assertThat(events.fallbacks).containsExactly("main->backup (ProviderUnavailableException)");
    assertThat(events.attempts).containsExactly("a/model-a", "b/model-b", "c/model-c");
  }

  @Test
  void anInvalidRequestIsNotRoutedAroundAndCarriesTheEarlierFailures() {
    a.failWith(unavailable("a"));
    InvalidRequestException invalid = new InvalidRequestException("bad schema", ErrorContext.of("b", "m"), null);
    b.failWith(model -> invalid);
    RouterInterceptor router = router().group(ordered("main", "a", "b", "c").fallbacks("backup").build())
        .group(ordered("backup", "d").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThatThrownBy(() -> gateway.chat(ask("main"))).isSameAs(invalid);
    }
    assertThat(invalid.getSuppressed()).singleElement().isInstanceOf(ProviderUnavailableException.class);
    assertThat(c.received).isEmpty();
    assertThat(d.received).isEmpty();
    assertThat(attemptSummary()).containsExactly("a:FAILED", "b:FAILED");
  }

  @Test
  void contextLengthExceededGoesToTheContextLengthFallbacksOnly() {
    a.failWith(model -> new ContextLengthExceededException("too long", ErrorContext.of("a", model), null));
    RouterInterceptor router = router()
        .group(ordered("main", "a").fallbacks("general").contextLengthFallbacks("long").build())
        .group(ordered("general", "b").build()).group(ordered("long", "c").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from c");
    }
    assertThat(b.received).isEmpty();
    assertThat(events.fallbacks).containsExactly("main->long (ContextLengthExceededException)");
  }

  @Test
  void contentFilteredTriesTheGroupThenTheContentFilterFallbacks() {
    a.failWith(model -> new ContentFilteredException("filtered", ErrorContext.of("a", model), null));
    b.failWith(model -> new ContentFilteredException("filtered", ErrorContext.of("b", model), null));
    RouterInterceptor router = router()
        .group(ordered("main", "a", "b").fallbacks("general").contentFilterFallbacks("lenient").build())
        .group(ordered("general", "d").build()).group(ordered("lenient", "c").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from c");
    }
    assertThat(attemptSummary()).containsExactly("a:FAILED", "b:FAILED", "c:SUCCEEDED");
    assertThat(d.received).isEmpty();
    assertThat(events.fallbacks).containsExactly("main->lenient (ContentFilteredException)");
  }

  @Test
  void afterAContextLengthErrorDeploymentsWithNoLargerWindowAreSkipped() {
    a.failWith(model -> new ContextLengthExceededException("too long", ErrorContext.of("a", model), null));
    ModelGroup group = ModelGroup.builder("main").strategy(FirstAvailableStrategy.INSTANCE)
        .deployment(Deployment.builder("a", "a/m").contextWindow(8_000).build())
        .deployment(Deployment.builder("b", "b/m").contextWindow(8_000).build())
        .deployment(Deployment.builder("c", "c/m").contextWindow(32_000).build()).build();
    try (LlmGateway gateway = gateway(router().group(group).build())) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from c");
    }
    assertThat(b.received).isEmpty();
  }

  @Test
  void deploymentsWhoseContextWindowCannotHoldTheRequestAreSkipped() {
    ModelGroup group = ModelGroup.builder("main").strategy(FirstAvailableStrategy.INSTANCE)
        .deployment(Deployment.builder("a", "a/m").contextWindow(100).build())
        .deployment(Deployment.builder("b", "b/m").contextWindow(10_000).build()).build();
    ChatRequest request = ChatRequest.builder().model("main").user("hello").maxTokens(200).build();
    try (LlmGateway gateway = gateway(router().group(group).build())) {
      assertThat(gateway.chat(request).text()).isEqualTo("from b");
    }
    assertThat(a.received).isEmpty();
  }

  @Test
  void whenNothingInTheGroupFitsTheContextLengthFallbacksServe() {
    ModelGroup small = ModelGroup.builder("main").contextLengthFallbacks("long").fallbacks("general")
        .deployment(Deployment.builder("a", "a/m").contextWindow(100).build()).build();
    ChatRequest request = ChatRequest.builder().model("main").user("x".repeat(1_000)).build();
    RouterInterceptor router = router().group(small).group(ordered("long", "c").build())
        .group(ordered("general", "b").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(request).text()).isEqualTo("from c");
    }
    assertThat(a.received).isEmpty();
    assertThat(events.fallbacks).containsExactly("main->long (ContextLengthExceededException)");
  }

  @Test
  void theContextWindowComesFromTheCatalogUnlessTheDeploymentSetsOne() {
    RouterInterceptor router = RouterInterceptor.builder().modelCatalog(ModelCatalog.bundled())
        .group(ModelGroup.builder("g").deployment(Deployment.of("mini", "openai/gpt-4o-mini"))
            .deployment(Deployment.builder("eu", "openai-eu/gpt-4o-mini").catalogModel("openai/gpt-4o-mini")
                .build())
            .deployment(Deployment.builder("own", "openai/gpt-4o-mini").contextWindow(1_000).build())
            .deployment(Deployment.of("unknown", "nobody/knows")).build())
        .build();
    ModelGroup g = router.groups().get("g");

    Integer catalogWindow = ModelCatalog.bundled().find("openai", "gpt-4o-mini").orElseThrow().contextWindow();
    assertThat(router.contextWindow(g.deployment("mini"))).isEqualTo(catalogWindow);
    assertThat(router.contextWindow(g.deployment("eu"))).isEqualTo(catalogWindow);
    assertThat(router.contextWindow(g.deployment("own"))).isEqualTo(1_000);
    assertThat(router.contextWindow(g.deployment("unknown"))).isNull();
  }

  @Test
  void anAuthenticationFailureOfOneDeploymentsKeyTriesAnother() {
    a.failWith(model -> new AuthenticationException("invalid key", ErrorContext.of("a", model).withHttpStatus(401), null));
    try (LlmGateway gateway = gateway(router().group(ordered("main", "a", "b").build()).build())) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from b");
    }
    assertThat(attemptSummary()).containsExactly("a:FAILED", "b:SUCCEEDED");
  }

  @Test
  void anUnsupportedFeatureOfOneModelIsRoutedAroundButAPipelineRefusalIsNot() {
    a.failWith(model -> new UnsupportedFeatureException("no tools", ErrorContext.of("a", model), null));
    try (LlmGateway gateway = gateway(router().group(ordered("main", "a", "b").build()).build())) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from b");
    }

    a.failWith(model -> new UnsupportedFeatureException("some interceptor refuses streams"));
    b.received.clear();
    try (LlmGateway gateway = gateway(router().group(ordered("main", "a", "b").build()).build())) {
      assertThatThrownBy(() -> gateway.chat(ask("main"))).isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageContaining("refuses streams");
    }
    assertThat(b.received).isEmpty();
  }

  @Test
  void eachDeploymentIsTriedAtMostOncePerCall() {
    a.failWith(unavailable("a"));
    b.failWith(unavailable("b"));
    RouterInterceptor router = router().group(ordered("main", "a", "b").fallbacks("other").build())
        .group(ordered("other", "b", "c").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from c");
    }
    assertThat(b.received).hasSize(1);
    assertThat(attemptSummary()).containsExactly("a:FAILED", "b:FAILED", "c:SUCCEEDED");
  }

  @Test
  void whenEverythingFailsTheCallerGetsEveryAttemptsCause() {
    a.failWith(unavailable("a"));
    b.failWith(model -> new RateLimitedException("429", ErrorContext.of("b", model)
        .withRetryAfter(Duration.ofSeconds(12)), null));
    c.failWith(unavailable("c"));
    RouterInterceptor router = router().group(ordered("main", "a", "b").fallbacks("backup").build())
        .group(ordered("backup", "c").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThatThrownBy(() -> gateway.chat(ask("main")))
          .isInstanceOfSatisfying(NoDeploymentAvailableException.class, e -> {
            assertThat(e).isInstanceOf(NoDeploymentAvailableException.class);
            assertThat(e.attempts()).extracting(ex -> ex.getClass().getSimpleName()).containsExactly(
                "ProviderUnavailableException", "RateLimitedException", "ProviderUnavailableException");
            assertThat(e.attemptLog()).extracting(Attempt::deploymentId).containsExactly("a", "b", "c");
            assertThat(e.attemptLog()).extracting(Attempt::group).containsExactly("main", "main", "backup");
            assertThat(e.getCause()).isSameAs(e.attempts().get(2));
            assertThat(e.getSuppressed()).hasSize(3);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.retryAfter()).as("b cools down for its retry-after").isEqualTo(Duration.ofSeconds(12));
            assertThat(e.model()).isEqualTo("main");
            assertThat(e.getMessage()).contains("'main'", "[backup]", "a: ProviderUnavailableException",
                "b: RateLimitedException");
          });
    }
  }

  @Test
  void aRateLimitedDeploymentCoolsDownForItsRetryAfterAndComesBack() {
    a.failWith(model -> new RateLimitedException("429", ErrorContext.of("a", model)
        .withRetryAfter(Duration.ofSeconds(20)), null));
    try (LlmGateway gateway = gateway(router().group(ordered("main", "a", "b").build()).build())) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from b");
      a.answer = (request, context) -> a.answer(request);

      clock.advance(Duration.ofSeconds(19));
      assertThat(gateway.chat(ask("main")).text()).as("a is still cooling down").isEqualTo("from b");
      assertThat(a.received).hasSize(1);

      clock.advance(Duration.ofSeconds(1));
      assertThat(gateway.chat(ask("main")).text()).as("a is back").isEqualTo("from a");
      assertThat(a.received).hasSize(2);
    }
  }

  @Test
  void allDeploymentsCoolingDownFailsAtOnceWithoutAnUpstreamCall() {
    a.failWith(model -> new RateLimitedException("429", ErrorContext.of("a", model)
        .withRetryAfter(Duration.ofSeconds(30)), null));
    b.failWith(model -> new RateLimitedException("429", ErrorContext.of("b", model)
        .withRetryAfter(Duration.ofSeconds(10)), null));
    try (LlmGateway gateway = gateway(router().group(ordered("main", "a", "b").build()).build())) {
      assertThatThrownBy(() -> gateway.chat(ask("main"))).isInstanceOf(NoDeploymentAvailableException.class);

      clock.advance(Duration.ofSeconds(4));
      assertThatThrownBy(() -> gateway.chat(ask("main")))
          .isInstanceOfSatisfying(NoDeploymentAvailableException.class, e -> {
            assertThat(e.attemptLog()).isEmpty();
            assertThat(e.attempts()).allSatisfy(cause -> assertThat(cause).isInstanceOf(RateLimitedException.class))
                .extracting(LlmException::retryAfter)
                .containsExactly(Duration.ofSeconds(26), Duration.ofSeconds(6));
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(6));
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("a: cooling down", "b: cooling down");
          });
      assertThat(a.received).hasSize(1);
      assertThat(b.received).hasSize(1);

      b.answer = (request, context) -> b.answer(request);
      clock.advance(Duration.ofSeconds(6));
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from b");
    }
  }

  @Test
  void aGroupCoolingDownHandsTheCallToItsFallbacksWithoutCallingIt() {
    a.failWith(model -> new RateLimitedException("429", ErrorContext.of("a", model)
        .withRetryAfter(Duration.ofSeconds(60)), null));
    RouterInterceptor router = router().group(ordered("main", "a").fallbacks("backup").build())
        .group(ordered("backup", "b").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from b");
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from b");
    }
    assertThat(a.received).hasSize(1);
    assertThat(attemptSummary()).containsExactly("b:SUCCEEDED");
    assertThat(events.fallbacks).containsExactly("main->backup (RateLimitedException)",
        "main->backup (RateLimitedException)");
  }

  @Test
  void aCancelledCallIsNotRoutedAround() {
    a.failWith(model -> new CallCancelledException("the call was cancelled"));
    try (LlmGateway gateway = gateway(router().group(ordered("main", "a", "b").build()).build())) {
      assertThatThrownBy(() -> gateway.chat(ask("main"))).isInstanceOf(CallCancelledException.class);
    }
    assertThat(b.received).isEmpty();
  }

  @Test
  void repeatedFailuresCoolADeploymentDownAndAFailedProbeCoolsItAgain() {
    a.failWith(unavailable("a"));
    RouterInterceptor router = router()
        .health(CooldownHealth.builder().failureThreshold(2).cooldown(Duration.ofSeconds(30)).build())
        .group(ordered("main", "a", "b").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      gateway.chat(ask("main"));
      gateway.chat(ask("main"));
      assertThat(a.received).as("two failures: cooling down now").hasSize(2);
      gateway.chat(ask("main"));
      assertThat(a.received).hasSize(2);

      clock.advance(Duration.ofSeconds(30));
      gateway.chat(ask("main"));
      assertThat(a.received).as("probed after the cooldown").hasSize(3);
      gateway.chat(ask("main"));
      assertThat(a.received).as("the failed probe cooled it down at once").hasSize(3);

      clock.advance(Duration.ofSeconds(30));
      a.answer = (request, context) -> a.answer(request);
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from a");
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from a");
    }
  }

  @Test
  void aDeploymentAtItsInFlightLimitIsSkipped() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    a.answer = (request, context) -> {
      entered.countDown();
      await(release);
      return a.answer(request);
    };
    ModelGroup group = ModelGroup.builder("main").strategy(FirstAvailableStrategy.INSTANCE)
        .deployment(Deployment.builder("a", "a/m").maxInFlight(1).build())
        .deployment(Deployment.of("b", "b/m")).build();
    try (LlmGateway gateway = gateway(router().group(group).build())) {
      CompletableFuture<ChatResponse> first = gateway.chatAsync(ask("main"));
      assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from b");

      release.countDown();
      assertThat(first.get(WAIT_SECONDS, TimeUnit.SECONDS).text()).isEqualTo("from a");
      assertThat(gateway.chat(ask("main")).text()).as("free again").isEqualTo("from a");
    }
  }

  @Test
  void leastInFlightSpreadsConcurrentCallsExactly() throws Exception {
    int calls = 30;
    CountDownLatch entered = new CountDownLatch(calls);
    CountDownLatch release = new CountDownLatch(1);
    for (TestProvider p : List.of(a, b, c)) {
      p.answer = (request, context) -> {
        entered.countDown();
        await(release);
        return p.answer(request);
      };
    }
    RouterInterceptor router = router().group(ordered("main", "a", "b", "c")
        .strategy(new LeastInFlightStrategy()).build()).build();
    try (LlmGateway gateway = gateway(router)) {
      List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        futures.add(gateway.chatAsync(ask("main")));
      }
      assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("every call is in flight").isTrue();

      assertThat(List.of(router.stats().inFlight("a"), router.stats().inFlight("b"), router.stats().inFlight("c")))
          .containsExactly(10, 10, 10);
      assertThat(List.of(a.received.size(), b.received.size(), c.received.size())).containsExactly(10, 10, 10);

      release.countDown();
      for (CompletableFuture<ChatResponse> f : futures) {
        f.get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
      assertThat(router.stats().inFlight("a") + router.stats().inFlight("b") + router.stats().inFlight("c"))
          .isZero();
    }
  }

  @Test
  void aGroupSelectorIsConsultedBeforeTheModelName() {
    RouterInterceptor router = router().group(ordered("chat", "a").build())
        .group(ordered("chat-acme", "b").build()).group(ordered("chat-eu", "c").build())
        .group(ordered("chat-long", "d").build())
        .groupSelector(GroupSelector.byTenant("chat", Map.of("acme", "chat-acme")))
        .groupSelector(GroupSelector.byTag("chat", "region", Map.of("eu", "chat-eu")))
        .groupSelector(GroupSelector.byPromptSize("chat", 1_000, "chat-long"))
        .build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(ask("chat")).text()).isEqualTo("from a");
      assertThat(gateway.chat(ask("chat").toBuilder().metadata(RequestMetadata.EMPTY.withTenant("acme"))
          .build()).text()).isEqualTo("from b");
      assertThat(gateway.chat(ask("chat").toBuilder().metadata(RequestMetadata.EMPTY.withTenant("acme")
          .withTags(Map.of("region", "eu"))).build()).text()).as("the first selector wins").isEqualTo("from b");
      assertThat(gateway.chat(ask("chat").toBuilder().metadata(RequestMetadata.EMPTY
          .withTags(Map.of("region", "eu"))).build()).text()).isEqualTo("from c");
      assertThat(gateway.chat(ChatRequest.builder().model("chat").user("x".repeat(4_000)).build()).text())
          .isEqualTo("from d");
      assertThat(gateway.chat(ask("b/native")).text()).as("other models pass").isEqualTo("from b");
    }
  }

  @Test
  void aSelectorNamingAnUnknownGroupFailsTheCall() {
    RouterInterceptor router = router().group(ordered("chat", "a").build())
        .groupSelector(request -> "nowhere").build();
    try (LlmGateway gateway = gateway(router)) {
      assertThatThrownBy(() -> gateway.chat(ask("chat"))).isInstanceOf(LlmConfigurationException.class)
          .hasMessageContaining("'nowhere'");
    }
  }

  @Test
  void anAbSplitKeepsEachUserOnOneVariant() {
    AbSplit split = AbSplit.builder("trial", "chat").variant("chat-a", 50).variant("chat-b", 50).build();
    RouterInterceptor router = router().group(ordered("chat-a", "a").build())
        .group(ordered("chat-b", "b").build()).groupSelector(split).build();
    try (LlmGateway gateway = gateway(router)) {
      for (String user : List.of("u1", "u2", "u3", "u4", "u5", "u6")) {
        String expected = "from " + (split.variantFor(user).equals("chat-a") ? "a" : "b");
        for (int i = 0; i < 5; i++) {
          assertThat(gateway.chat(ask("chat").toBuilder().metadata(RequestMetadata.EMPTY.withUser(user))
              .build()).text()).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aStrategyThatReturnsANonCandidateFailsFastNamingIt() {
    RoutingStrategy rogue = new RoutingStrategy() {
      @Override
      public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
          DeploymentStats stats) {
        return Deployment.of("zzz", "a/zzz");
      }

      @Override
      public String toString() {
        return "RogueStrategy";
      }
    };
    RouterInterceptor router = router().group(ordered("main", "a").strategy(rogue).build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThatThrownBy(() -> gateway.chat(ask("main"))).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("RogueStrategy").hasMessageContaining("'zzz'");
    }
    assertThat(a.received).isEmpty();
  }

  @Test
  void everyAttemptRecordsItsDurationOnTheRoutersClock() {
    a.answer = (request, context) -> {
      clock.advance(Duration.ofSeconds(2));
      throw new ProviderUnavailableException("slow and down", ErrorContext.of("a", "m"), null);
    };
    b.answer = (request, context) -> {
      clock.advance(Duration.ofMillis(300));
      return b.answer(request);
    };
    RouterInterceptor router = router().group(ordered("main", "a", "b").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      gateway.chat(ask("main"));
    }
    List<Attempt> attempts = events.ended.get(0).get(RouterInterceptor.ATTEMPTS).attempts();
    assertThat(attempts).containsExactly(
        new Attempt("main", "a", "a/model-a", Attempt.Outcome.FAILED,
            ProviderUnavailableException.class.getName(), "slow and down [provider=a, model=m]",
            Duration.ofSeconds(2)),
        new Attempt("main", "b", "b/model-b", Attempt.Outcome.SUCCEEDED, null, null, Duration.ofMillis(300)));
    assertThat(router.stats().averageLatency("b")).isEqualTo(Duration.ofMillis(300));
    assertThat(router.stats().averageLatency("a")).as("failures are no latency sample").isNull();
  }

  /** Records what the router asks the health and reports to it; refuses permissions for {@code refused}. */
  private static final class RecordingHealth implements DeploymentHealth {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Set<String> refused;

    RecordingHealth(String... refused) {
      this.refused = Set.of(refused);
    }

    @Override
    public boolean isAvailable(String deploymentId, Instant now) {
      return true;
    }

    @Override
    public @Nullable Duration retryAfter(String deploymentId, Instant now) {
      return null;
    }

    @Override
    public boolean tryAcquire(String deploymentId, Instant now) {
      calls.add("acquire " + deploymentId);
      return !refused.contains(deploymentId);
    }

    @Override
    public void release(String deploymentId) {
      calls.add("release " + deploymentId);
    }

    @Override
    public void recordSuccess(String deploymentId, Instant now) {
      calls.add("success " + deploymentId);
    }

    @Override
    public void recordFailure(String deploymentId, LlmException error, Instant now) {
      calls.add("failure " + deploymentId);
    }
  }

  @Test
  void aDeploymentWhoseHealthRefusesThePermissionIsPassedOverForTheNext() {
    b.failWith(unavailable("b"));
    RecordingHealth health = new RecordingHealth("a");
    RouterInterceptor router = router().health(health).group(ordered("main", "a", "b", "c").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      assertThat(gateway.chat(ask("main")).text()).isEqualTo("from c");
    }
    assertThat(a.received).isEmpty();
    assertThat(health.calls).as("one outcome per permission taken; a refusal holds for one choice only")
        .containsExactly("acquire a", "acquire b", "failure b", "acquire a", "acquire c", "success c");
    assertThat(attemptSummary()).containsExactly("b:FAILED", "c:SUCCEEDED");
  }

  @Test
  void aStreamClosedEarlyGivesItsPermissionBack() {
    RecordingHealth health = new RecordingHealth();
    RouterInterceptor router = router().health(health).group(ordered("main", "a").build()).build();
    try (LlmGateway gateway = gateway(router)) {
      try (ChatStream stream = gateway.stream(ask("main"))) {
        assertThat(stream.next()).isNotNull();
      }
    }
    assertThat(health.calls).containsExactly("acquire a", "release a");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the call");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.llmgateway.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Cost;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.tokens.TokenCounter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CostInterceptorTest {
  static final CallPricer PRICER = CallPricer.builder().modelCatalog(UsageProvider.CATALOG)
      .tokenCounter(TokenCounter.estimating()).build();

  private final UsageProvider provider = new UsageProvider();
  private final Seen seen = new Seen();

  /** What listeners saw at the end of each call: the attributes the cost interceptor set. */
  static final class Seen implements ChatEventListener {
    final List<@Nullable Cost> costs = new CopyOnWriteArrayList<>();
    final List<@Nullable PricedCall> priced = new CopyOnWriteArrayList<>();
    final List<Usage> usages = new CopyOnWriteArrayList<>();

    @Override
    public void onUsage(CallContext context, Usage usage) {
      usages.add(usage);
    }

    @Override
    public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
      costs.add(context.get(CostInterceptor.COST));
      priced.add(context.get(CostInterceptor.PRICED));
    }

    @Override
    public void onCallFailed(CallContext context, LlmException error, Duration elapsed) {
      costs.add(context.get(CostInterceptor.COST));
      priced.add(context.get(CostInterceptor.PRICED));
    }
  }

  private LlmGateway gateway(Interceptor... interceptors) {
    var builder = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(UsageProvider.CATALOG).alias("fast", "test/m1").addListener(seen);
    for (Interceptor interceptor : interceptors) {
      builder.addInterceptor(interceptor);
    }
    return builder.build();
  }

  private static ChatRequest ask(String model) {
    return ChatRequest.builder().model(model).user("Hello there").build();
  }

  @Test
  void aBlockingCallCarriesItsCostToTheListeners() {
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER))) {
      gateway.chat(ask("test/m1"));
    }
    // 100 input x $1.00 = 100 -> 0.0001; 50 output x $2.00 = 100 -> 0.0001; total 0.0002
    assertThat(seen.costs).singleElement().satisfies(cost -> {
      assertThat(cost.total()).isEqualByComparingTo("0.0002");
      assertThat(cost.estimated()).isFalse();
    });
    PricedCall priced = seen.priced.get(0);
    assertThat(priced.provider()).isEqualTo("test");
    assertThat(priced.model()).isEqualTo("m1");
    assertThat(priced.deployment()).isNull();
    assertThat(priced.usage()).isEqualTo(Usage.of(100, 50));
  }

  @Test
  void anAliasIsPricedAsTheModelItResolvesTo() {
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER))) {
      gateway.chat(ask("fast"));
    }
    assertThat(seen.costs.get(0).total()).isEqualByComparingTo("0.0002");
  }

  @Test
  void aStreamCarriesItsCostAtItsEnd() {
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER))) {
      assertThat(gateway.stream(ask("test/m1")).collect().text()).isEqualTo("answer");
    }
    assertThat(seen.costs).singleElement()
        .satisfies(cost -> assertThat(cost.total()).isEqualByComparingTo("0.0002"));
  }

  @Test
  void aStreamClosedEarlyIsPricedByWhatArrived() {
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER))) {
      ChatStream stream = gateway.stream(ask("test/m1"));
      stream.next(); // start
      stream.next(); // "ans"
      stream.close();
    }
    PricedCall priced = seen.priced.get(0);
    // no usage chunk arrived: input estimated from the request (GENERIC: "Hello there" is 11 characters
    // -> 3, plus 4 for the message and 3 for the request = 10), output from "ans" (1 token)
    assertThat(priced.usage()).isEqualTo(new Usage(10, 1, 0, 0, 0, true));
    // 10 x $1 = 10 -> 0.00001; 1 x $2 -> 0.000002; total 0.000012, estimated
    assertThat(seen.costs.get(0).total()).isEqualByComparingTo("0.000012");
    assertThat(seen.costs.get(0).estimated()).isTrue();
    assertThat(seen.usages).containsExactly(priced.usage()); // the estimate is reported once
  }

  @Test
  void aProviderReportingNoUsageIsEstimatedAndMarkedSo() {
    provider.reportsUsage = false;
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER))) {
      gateway.chat(ask("test/m1"));
    }
    // output "answer": 6 characters -> 2 tokens
    assertThat(seen.priced.get(0).usage()).isEqualTo(new Usage(10, 2, 0, 0, 0, true));
    assertThat(seen.usages).singleElement().satisfies(u -> assertThat(u.estimated()).isTrue());
  }

  @Test
  void aFailedCallCostsNothing() {
    provider.failure = UsageProvider.unavailable();
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER))) {
      assertThatThrownBy(() -> gateway.chat(ask("test/m1"))).isInstanceOf(ProviderUnavailableException.class);
    }
    assertThat(seen.priced.get(0).usage()).isEqualTo(Usage.ZERO);
    assertThat(seen.costs.get(0).total()).isEqualByComparingTo("0");
  }

  @Test
  void aModelWithoutAPriceHasNoCost() {
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER))) {
      gateway.chat(ask("test/unknown"));
    }
    assertThat(seen.costs).containsExactly((Cost) null);
    assertThat(seen.priced.get(0).cost()).isNull();
    assertThat(seen.priced.get(0).usage()).isEqualTo(Usage.of(100, 50));
  }

  @Test
  void aRoutedCallIsPricedUnderItsDeploymentsCatalogModel() {
    RouterInterceptor router = RouterInterceptor.builder().modelCatalog(UsageProvider.CATALOG)
        .group(ModelGroup.builder("main")
            .deployment(Deployment.builder("eu-1", "test/m1-eu").catalogModel("test/m1").build())
            .build())
        .build();
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER), router)) {
      gateway.chat(ask("main"));
    }
    PricedCall priced = seen.priced.get(0);
    assertThat(priced.deployment()).isEqualTo("eu-1");
    assertThat(priced.model()).isEqualTo("m1-eu");
    assertThat(priced.cost().total()).isEqualByComparingTo("0.0002");
  }

  @Test
  void anAnswerMarkedNotBilledCostsNothing() {
    // a cache-like interceptor answers with a stored response, usage and all, without calling the provider
    Interceptor cache = (request, chain) -> {
      chain.context().put(CallPricer.NOT_BILLED, true);
      return ChatResponse.builder().model("m1").provider("test")
          .message(dev.llmgateway.Message.assistant("stored")).usage(Usage.of(100, 50)).build();
    };
    try (LlmGateway gateway = gateway(CostInterceptor.of(PRICER), cache)) {
      gateway.chat(ask("test/m1"));
    }
    assertThat(provider.calls.get()).isZero();
    assertThat(seen.priced.get(0).usage()).isEqualTo(Usage.ZERO);
    assertThat(seen.costs.get(0).total()).isEqualByComparingTo("0");
  }

  @Test
  void theDefaultPricerUsesTheBundledCatalogAndStandardCounting() {
    CallPricer standard = CallPricer.standard();
    assertThat(standard.modelCatalog()).isSameAs(CallPricer.DEFAULT_MODEL_CATALOG);
    assertThat(CallPricer.DEFAULT_MODEL_CATALOG).isSameAs(ModelCatalog.bundled());
    assertThat(standard.costCalculator()).isSameAs(CallPricer.DEFAULT_COST_CALCULATOR)
        .isSameAs(CostCalculator.STANDARD);
    assertThat(standard.assumedOutputTokens()).isEqualTo(CallPricer.DEFAULT_ASSUMED_OUTPUT_TOKENS)
        .isEqualTo(1024);
    assertThat(standard.tokenCounter().toString()).isEqualTo(TokenCounter.standard().toString());
    assertThat(standard.aliases()).isEmpty();
    assertThat(CostInterceptor.create().pricer().modelCatalog()).isSameAs(ModelCatalog.bundled());
  }
}

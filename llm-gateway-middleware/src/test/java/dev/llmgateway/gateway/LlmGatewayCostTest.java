package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Cost;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.Usage;
import dev.llmgateway.cost.CostInterceptor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LlmGatewayCostTest {
  // openai/gpt-4o-mini in the bundled catalog: $0.15 input and $0.60 output per million tokens.
  // 1000 input x 0.15 / 1M = 0.00015; 500 output x 0.60 / 1M = 0.0003; total 0.00045.
  private static final BigDecimal EXPECTED_TOTAL = new BigDecimal("0.00045");

  private final ScriptedProvider provider = new ScriptedProvider("openai");
  private final List<ChatResponse> ended = new CopyOnWriteArrayList<>();

  LlmGatewayCostTest() {
    provider.answer = (request, context) -> ChatResponse.builder().id("r").model(request.model())
        .provider("openai").message(Message.assistant("priced answer")).usage(Usage.of(1000, 500))
        .build();
  }

  private LlmGateway gateway(Interceptor... interceptors) {
    LlmGatewayBuilder builder = LlmGateway.builder().discoverProviders(false).logging(false)
        .provider(provider).addListener(new ChatEventListener() {
          @Override
          public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
            ended.add(response);
          }
        });
    for (Interceptor interceptor : interceptors) {
      builder.addInterceptor(interceptor);
    }
    return builder.build();
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("openai/gpt-4o-mini").user("Hello").build();
  }

  private static void assertPriced(ChatResponse response) {
    Cost cost = response.cost();
    assertThat(cost).isNotNull();
    assertThat(cost.total()).isEqualByComparingTo(EXPECTED_TOTAL);
    assertThat(cost.input()).isEqualByComparingTo("0.00015");
    assertThat(cost.output()).isEqualByComparingTo("0.0003");
    assertThat(cost.currency()).isEqualTo("USD");
    assertThat(cost.estimated()).isFalse();
  }

  @Test
  void aBlockingAnswerCarriesItsCostWhenACostInterceptorIsInstalled() {
    try (LlmGateway gateway = gateway(CostInterceptor.create())) {
      ChatResponse response = gateway.chat(ask());

      assertPriced(response);
      assertThat(response.text()).isEqualTo("priced answer");
    }
    assertThat(ended).singleElement().satisfies(LlmGatewayCostTest::assertPriced);
  }

  @Test
  void anAsyncAnswerCarriesItsCost() throws Exception {
    try (LlmGateway gateway = gateway(CostInterceptor.create())) {
      assertPriced(gateway.chatAsync(ask()).get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aCallbackStreamCompletesWithItsCost() throws Exception {
    List<ChatResponse> completed = new CopyOnWriteArrayList<>();
    try (LlmGateway gateway = gateway(CostInterceptor.create())) {
      ChatResponse response = gateway.stream(ask(), new StreamHandler() {
        @Override
        public void onChunk(ChatChunk chunk) {}

        @Override
        public void onComplete(ChatResponse response) {
          completed.add(response);
        }
      }).get(10, TimeUnit.SECONDS);

      assertPriced(response);
    }
    assertThat(completed).singleElement().satisfies(LlmGatewayCostTest::assertPriced);
  }

  @Test
  void aCollectedPullStreamCarriesItsCostAndSoDoesTheListenersAnswer() {
    try (LlmGateway gateway = gateway(CostInterceptor.create())) {
      try (ChatStream stream = gateway.stream(ask())) {
        assertPriced(stream.collect());
      }
    }
    assertThat(ended).singleElement().satisfies(LlmGatewayCostTest::assertPriced);
  }

  @Test
  void anAnswerIsUnpricedWithoutAnAccountingInterceptor() {
    try (LlmGateway gateway = gateway()) {
      assertThat(gateway.chat(ask()).cost()).isNull();
    }
    assertThat(ended).singleElement().satisfies(response -> assertThat(response.cost()).isNull());
  }

  @Test
  void anAnswerIsUnpricedWhenTheModelIsNotInTheCatalog() {
    try (LlmGateway gateway = gateway(CostInterceptor.create())) {
      ChatRequest unknown = ChatRequest.builder().model("openai/no-such-model-xyz").user("Hello").build();
      assertThat(gateway.chat(unknown).cost()).isNull();
    }
  }
}

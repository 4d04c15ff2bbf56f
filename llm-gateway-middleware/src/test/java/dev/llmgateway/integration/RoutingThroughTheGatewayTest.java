package dev.llmgateway.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.resilience.RetryPolicy;
import dev.llmgateway.routing.CooldownHealth;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.FirstAvailableStrategy;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.ManualClock;
import dev.llmgateway.testkit.FakeReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing, retries and cooldowns configured through {@link LlmGateway#builder()} alone (no hand-built
 * interceptor chain), over HTTP: two {@link FakeLlmServer}s as two deployments of one group, the real
 * OpenAI adapter in front of each.
 */
class RoutingThroughTheGatewayTest {
  private static final String ECHO = FakeReply.DEFAULT_ECHO_PREFIX + "hello";
  private static final Duration COOLDOWN = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private FakeLlmServer first;
  private FakeLlmServer second;
  private OpenAiChatProvider providerA;
  private OpenAiChatProvider providerB;

  @BeforeEach
  void start() {
    first = FakeLlmServer.start();
    second = FakeLlmServer.start();
    providerA = OpenAiChatProvider.builder().providerName("a").baseUrl(first.baseUrl())
        .apiKey(Secret.of("sk-test-a")).build();
    providerB = OpenAiChatProvider.builder().providerName("b").baseUrl(second.baseUrl())
        .apiKey(Secret.of("sk-test-b")).build();
  }

  @AfterEach
  void stop() {
    providerA.close();
    providerB.close();
    first.close();
    second.close();
  }

  private LlmGateway gateway() {
    return LlmGateway.builder()
        .discoverProviders(false)
        .logging(false)
        .provider(providerA)
        .provider(providerB)
        .modelGroup(ModelGroup.builder("chat")
            .deployment(Deployment.of("first", "a/gpt-4o-mini"))
            .deployment(Deployment.of("second", "b/gpt-4o-mini"))
            .strategy(FirstAvailableStrategy.INSTANCE)
            .build())
        .retries(RetryPolicy.builder()
            .maxRetries(ProviderUnavailableException.class, 1) // one retry of a 5xx, then fall over
            .initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO)
            .build())
        .routing(router -> router
            .clock(clock)
            .health(CooldownHealth.builder().failureThreshold(1).cooldown(COOLDOWN).build()))
        .build();
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("chat").user("hello").build();
  }

  private static List<String> outcomes(ChatResponse response) {
    return response.attempts().stream().map(a -> a.deploymentId() + " " + a.outcome()
        + (a.errorType() == null ? "" : " " + a.errorType().substring(a.errorType().lastIndexOf('.') + 1)))
        .toList();
  }

  @Test
  void a503DeploymentIsRetriedThenFailedOverCooledDownSkippedAndBroughtBack() {
    first.enqueue(FakeReply.serverError(503), FakeReply.serverError(503));
    try (LlmGateway gateway = gateway()) {
      ChatResponse failedOver = gateway.chat(ask());

      assertThat(failedOver.text()).isEqualTo(ECHO);
      assertThat(failedOver.provider()).isEqualTo("b");
      assertThat(outcomes(failedOver)).containsExactly(
          "first FAILED ProviderUnavailableException", "second SUCCEEDED");
      assertThat(failedOver.attempts()).extracting(Attempt::target)
          .containsExactly("a/gpt-4o-mini", "b/gpt-4o-mini");
      assertThat(failedOver.attempts().get(0).errorMessage()).contains("overloaded");
      assertThat(first.requestCount()).as("the first attempt and its one retry").isEqualTo(2);
      assertThat(second.requestCount()).isEqualTo(1);

      ChatResponse whileCooling = gateway.chat(ask());

      assertThat(outcomes(whileCooling)).as("the cooled-down deployment is skipped")
          .containsExactly("second SUCCEEDED");
      assertThat(first.requestCount()).isEqualTo(2);
      assertThat(second.requestCount()).isEqualTo(2);

      clock.advance(COOLDOWN.plusSeconds(1));
      ChatResponse afterCooldown = gateway.chat(ask());

      assertThat(afterCooldown.text()).isEqualTo(ECHO);
      assertThat(afterCooldown.provider()).isEqualTo("a");
      assertThat(outcomes(afterCooldown)).as("back in rotation").containsExactly("first SUCCEEDED");
      assertThat(first.requestCount()).isEqualTo(3);
      assertThat(second.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void aStreamedCallReportsTheSameAttemptsToItsCallback() throws Exception {
    first.enqueue(FakeReply.serverError(503), FakeReply.serverError(503));
    try (LlmGateway gateway = gateway()) {
      ChatResponse streamed = gateway.stream(ask(), CallOptions.DEFAULT, chunk -> {})
          .get(10, TimeUnit.SECONDS);

      assertThat(streamed.text()).isEqualTo(ECHO);
      assertThat(outcomes(streamed)).containsExactly(
          "first FAILED ProviderUnavailableException", "second SUCCEEDED");
      assertThat(first.requestCount()).isEqualTo(2);
      assertThat(second.requestCount()).isEqualTo(1);
    }
  }
}

package dev.llmgateway.examples;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.resilience.RetryPolicy;
import dev.llmgateway.resilience.TimeoutPolicy;
import dev.llmgateway.routing.CooldownHealth;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.FirstAvailableStrategy;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * One model alias, two deployments, configured through {@link LlmGateway#builder()} alone: a model group,
 * retries, a cooldown and timeouts. The first deployment fails (503 twice), the call is retried, falls over
 * to the second deployment, and the answer lists every attempt. The next call skips the cooled-down
 * deployment. Always runs on two embedded {@link FakeLlmServer}s, whatever the tour's backend, because one
 * of them has to fail on cue.
 */
public final class RoutingExample {
  private RoutingExample() {}

  static void run(PrintStream out) {
    try (FakeLlmServer east = FakeLlmServer.start();
        FakeLlmServer west = FakeLlmServer.start();
        OpenAiChatProvider eastProvider = OpenAiChatProvider.builder()
            .providerName("east").baseUrl(east.baseUrl()).build();
        OpenAiChatProvider westProvider = OpenAiChatProvider.builder()
            .providerName("west").baseUrl(west.baseUrl()).build()) {
      east.enqueue(FakeReply.serverError(503), FakeReply.serverError(503)); // east is down for a moment

      try (LlmGateway gateway = LlmGateway.builder()
          .provider(eastProvider)
          .provider(westProvider)
          .modelGroup(ModelGroup.builder("chat")                  // the alias callers use
              .deployment(Deployment.of("east", "east/" + east.model()))
              .deployment(Deployment.of("west", "west/" + west.model()))
              .strategy(FirstAvailableStrategy.INSTANCE)          // east first, west while east is out
              .build())
          .routing(router -> router.health(CooldownHealth.builder()
              .failureThreshold(1)                                // one failed attempt cools it down
              .cooldown(Duration.ofSeconds(30))
              .build()))
          .retries(RetryPolicy.builder()
              .maxRetries(ProviderUnavailableException.class, 1)  // retry a 5xx once, then fall over
              .initialBackoff(Duration.ofMillis(50))
              .build())
          .timeouts(TimeoutPolicy.NONE.withWholeCall(Duration.ofSeconds(30)),        // every call
              Map.of("chat", TimeoutPolicy.NONE.withFirstToken(Duration.ofSeconds(5)))) // per attempt
          .build()) {
        ChatRequest request = ChatRequest.builder().model("chat").user("Which deployment answered?").build();

        ChatResponse response = gateway.chat(request);
        out.println("reply:  " + response.text());
        for (Attempt attempt : response.attempts()) {
          out.println("attempt: " + describe(attempt));
        }

        ChatResponse next = gateway.chat(request);               // east is cooling down: straight to west
        out.println("next:   " + next.attempts().stream().map(RoutingExample::describe).toList());
        out.println("requests: east " + east.requestCount() + ", west " + west.requestCount());
      }
    }
  }

  private static String describe(Attempt attempt) {
    String error = attempt.errorType() == null ? ""
        : " " + attempt.errorType().substring(attempt.errorType().lastIndexOf('.') + 1);
    return attempt.deploymentId() + " (" + attempt.target() + ") " + attempt.outcome() + error;
  }

  public static void main(String[] args) {
    run(System.out);
  }
}

package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.gateway.LlmGateway;
import java.io.PrintStream;

/** The smallest useful program: one blocking call. */
public final class QuickStart {
  private QuickStart() {}

  static void run(TourBackend backend, PrintStream out) {
    try (LlmGateway gateway = backend.gateway().build()) {
      ChatResponse response = gateway.chat(ChatRequest.builder()
          .model(TourBackend.MODEL)
          .system("You are a concise assistant.")
          .user("Say hello to a Java developer in one sentence.")
          .build());
      out.println("reply:  " + response.text());
      out.println("tokens: " + response.usage().inputTokens() + " in, "
          + response.usage().outputTokens() + " out; finish " + response.finishReason()
          + "; provider " + response.provider() + "; model " + response.model());
    }
  }

  public static void main(String[] args) {
    try (TourBackend backend = TourBackend.fromEnvironment()) {
      run(backend, System.out);
    }
  }
}

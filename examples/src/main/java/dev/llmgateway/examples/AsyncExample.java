package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.gateway.LlmGateway;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Several calls in flight at once with {@code chatAsync}; cancelling a future cancels its HTTP call. */
public final class AsyncExample {
  private AsyncExample() {}

  static void run(TourBackend backend, PrintStream out) {
    try (LlmGateway gateway = backend.gateway().build()) {
      List<CompletableFuture<ChatResponse>> answers = List.of("red", "green", "blue").stream()
          .map(color -> gateway.chatAsync(ChatRequest.builder().model(TourBackend.MODEL)
              .user("Name one fruit that is " + color + ".").build()))
          .toList();
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
      for (CompletableFuture<ChatResponse> answer : answers) {
        out.println("async:  " + answer.join().text());
      }
    }
  }

  public static void main(String[] args) {
    try (TourBackend backend = TourBackend.fromEnvironment()) {
      run(backend, System.out);
    }
  }
}

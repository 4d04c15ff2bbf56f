package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Interceptor;
import dev.llmgateway.RequestInterceptor;
import dev.llmgateway.gateway.LlmGateway;
import java.io.PrintStream;

/**
 * Registering your own interceptors, written as lambdas: one that rewrites every request (so it applies
 * to blocking and streaming calls alike), and one that wraps blocking calls to time them.
 */
public final class CustomInterceptorExample {
  private CustomInterceptorExample() {}

  static void run(TourBackend backend, PrintStream out) {
    RequestInterceptor house = (request, context) -> request.toBuilder()
        .metadata(request.metadata().withApplication("tour"))
        .temperature(request.temperature() != null ? request.temperature() : 0.0)
        .build();
    Interceptor timing = (request, chain) -> {
      long start = System.nanoTime();
      ChatResponse response = chain.proceed(request);
      out.printf("timing: %s answered in %d ms%n", response.provider(),
          (System.nanoTime() - start) / 1_000_000);
      return response;
    };
    try (LlmGateway gateway = backend.gateway()
        .addRequestInterceptor(house)
        .addInterceptor(timing)
        .build()) {
      ChatResponse response = gateway.chat(ChatRequest.builder().model(TourBackend.MODEL)
          .user("What is an interceptor, in five words?").build());
      out.println("reply:  " + response.text());
    }
  }

  public static void main(String[] args) {
    try (TourBackend backend = TourBackend.fromEnvironment()) {
      run(backend, System.out);
    }
  }
}

package dev.llmgateway.examples;

import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.gateway.LlmGateway;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** Streaming, pull style (iterate the stream) and push style (callbacks on a background thread). */
public final class StreamingExample {
  private StreamingExample() {}

  static void run(TourBackend backend, PrintStream out) throws Exception {
    ChatRequest request = ChatRequest.builder().model(TourBackend.MODEL)
        .user("Count from one to five in words.").build();
    try (LlmGateway gateway = backend.gateway().build()) {
      out.print("pull:   ");
      try (ChatStream stream = gateway.stream(request)) {
        for (ChatChunk chunk : stream) {
          if (chunk instanceof ChatChunk.TextDelta text) {
            out.print(text.text());
            out.flush();
          }
        }
      }
      out.println();

      out.print("push:   ");
      var done = gateway.stream(request, StreamHandler.onText(out::print));
      var response = done.get(60, TimeUnit.SECONDS);
      out.println();
      out.println("        (" + response.usage().outputTokens() + " output tokens)");
    }
  }

  public static void main(String[] args) throws Exception {
    try (TourBackend backend = TourBackend.fromEnvironment()) {
      run(backend, System.out);
    }
  }
}

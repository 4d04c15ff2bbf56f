package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.testkit.FakeReply;
import java.io.PrintStream;

/** Function calling: the model asks for a tool, the application runs it and sends the result back. */
public final class ToolCallingExample {
  private ToolCallingExample() {}

  static final ToolDefinition WEATHER = ToolDefinition.of("get_weather", "Current weather in a city",
      """
      {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

  static void run(TourBackend backend, PrintStream out) {
    backend.script(FakeReply.toolCall("get_weather", "{\"city\":\"Lisbon\"}"),
        FakeReply.text("It is 21 degrees and sunny in Lisbon."));
    try (LlmGateway gateway = backend.gateway().build()) {
      ChatRequest ask = ChatRequest.builder().model(TourBackend.MODEL)
          .user("What's the weather in Lisbon?").tool(WEATHER).build();
      ChatResponse first = gateway.chat(ask);
      ChatRequest.Builder followUp = ask.toBuilder().message(first.message());
      for (ContentPart.ToolCall call : first.toolCalls()) {
        out.println("tool:   model called " + call.name() + call.arguments());
        String result = "{\"temperature_c\":21,\"sky\":\"sunny\"}"; // your code runs the tool here
        followUp.message(Message.toolResult(call.id(), call.name(), result));
      }
      out.println("reply:  " + gateway.chat(followUp.build()).text());
    }
  }

  public static void main(String[] args) {
    try (TourBackend backend = TourBackend.fromEnvironment()) {
      run(backend, System.out);
    }
  }
}

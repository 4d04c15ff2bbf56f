package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.testkit.FakeReply;
import java.io.PrintStream;

/** Structured output: ask for JSON matching a schema. */
public final class StructuredOutputExample {
  private StructuredOutputExample() {}

  static void run(TourBackend backend, PrintStream out) {
    backend.script(FakeReply.text("{\"name\":\"Ada Lovelace\",\"born\":1815}"));
    String schema = """
        {"type":"object","properties":{"name":{"type":"string"},"born":{"type":"integer"}},
         "required":["name","born"],"additionalProperties":false}""";
    try (LlmGateway gateway = backend.gateway().build()) {
      String json = gateway.chat(ChatRequest.builder().model(TourBackend.MODEL)
          .user("Who wrote the first computer program? Answer as JSON.")
          .responseFormat(ResponseFormat.jsonSchema("person", schema))
          .build()).text();
      out.println("json:   " + json);
    }
  }

  public static void main(String[] args) {
    try (TourBackend backend = TourBackend.fromEnvironment()) {
      run(backend, System.out);
    }
  }
}

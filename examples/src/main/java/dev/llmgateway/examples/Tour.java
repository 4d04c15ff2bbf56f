package dev.llmgateway.examples;

import java.io.PrintStream;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Runs every example in turn. Start here: {@code mvn -q -pl examples -am compile exec:java}. */
public final class Tour {
  private Tour() {}

  /** Runs the tour against the backend {@code env} selects, printing to {@code out}. */
  public static void run(PrintStream out, Function<String, @Nullable String> env) throws Exception {
    try (TourBackend backend = TourBackend.fromEnvironment(env)) {
      out.println("llm-gateway tour, talking to " + backend.describe());
      section(out, "1. Quick start: one blocking call");
      QuickStart.run(backend, out);
      section(out, "2. Streaming");
      StreamingExample.run(backend, out);
      section(out, "3. Async calls");
      AsyncExample.run(backend, out);
      section(out, "4. Your own interceptors, as lambdas");
      CustomInterceptorExample.run(backend, out);
      section(out, "5. Tool calling");
      ToolCallingExample.run(backend, out);
      section(out, "6. Structured output");
      StructuredOutputExample.run(backend, out);
      section(out, "7. Routing: one alias, two deployments, retries and fallbacks (two embedded servers)");
      RoutingExample.run(out);
      section(out, "8. A YAML prompt as a typed function, served over HTTP");
      PromptFunctionExample.run(backend, out);
      out.println();
      out.println("Done. Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL, OPENAI_MODEL) to run it for real.");
    }
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("== " + title);
  }

  public static void main(String[] args) throws Exception {
    run(System.out, System::getenv);
  }
}

package dev.llmgateway.examples;

import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.prompt.PromptRegistry;
import dev.llmgateway.prompt.function.PromptFunction;
import dev.llmgateway.prompt.http.FunctionEndpoint;
import dev.llmgateway.prompt.http.FunctionServer;
import dev.llmgateway.testkit.FakeReply;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A prompt function served over HTTP: the {@code sentiment} prompt from
 * {@code src/main/resources/prompts/sentiment.yaml}, plus the tour's model, plus the {@link Sentiment}
 * record becomes a typed function (its JSON schema derived from the record and sent as the response
 * format), published as {@code POST /functions/sentiment} on the JDK's HTTP server in one line, with the
 * gateway's whole pipeline behind it.
 */
public final class PromptFunctionExample {
  private PromptFunctionExample() {}

  /** What the function reads: the template's variable {@code text}. */
  public record Review(String text) {}

  /** The three answers. */
  public enum Label { POSITIVE, NEGATIVE, NEUTRAL }

  /** What the function returns, parsed from the model's JSON. */
  public record Sentiment(Label label, double confidence) {}

  static void run(TourBackend backend, PrintStream out) throws Exception {
    backend.script(FakeReply.text("{\"label\":\"POSITIVE\",\"confidence\":0.93}"));
    PromptRegistry prompts = PromptRegistry.builder().loadClasspath("prompts").build();
    try (LlmGateway gateway = backend.gateway().build()) {
      PromptFunction<Review, Sentiment> sentiment = PromptFunction
          .builder("sentiment", Review.class, Sentiment.class)
          .client(gateway).registry(prompts)
          .build();

      Sentiment direct = sentiment.apply(new Review("Great value, would buy again"));
      out.println("typed:  " + direct);

      backend.script(FakeReply.text("{\"label\":\"NEGATIVE\",\"confidence\":0.88}"));
      try (FunctionServer server =
          FunctionEndpoint.of(sentiment).serve(new InetSocketAddress("127.0.0.1", 0))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = server.uri().resolve("/functions/sentiment");
        HttpResponse<String> ok = http.send(post(uri, "{\"text\":\"Broke after two days.\"}"),
            HttpResponse.BodyHandlers.ofString());
        out.println("http:   " + ok.statusCode() + " " + ok.body());
        HttpResponse<String> bad = http.send(post(uri, "{\"txt\":\"typo in the field name\"}"),
            HttpResponse.BodyHandlers.ofString());
        out.println("http:   " + bad.statusCode() + " " + bad.headers().firstValue("content-type").orElse("")
            + " " + title(bad.body()));
      }
    }
  }

  private static HttpRequest post(URI uri, String json) {
    return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  /** The problem's title, without pulling a JSON library into the example. */
  private static String title(String problem) {
    int at = problem.indexOf("\"title\":\"");
    return at < 0 ? problem : problem.substring(at + 9, problem.indexOf('"', at + 9));
  }

  public static void main(String[] args) throws Exception {
    try (TourBackend backend = TourBackend.fromEnvironment()) {
      run(backend, System.out);
    }
  }
}

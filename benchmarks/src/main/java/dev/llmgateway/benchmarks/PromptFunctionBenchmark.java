package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatClient;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Message;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.prompt.PromptRegistry;
import dev.llmgateway.prompt.function.PromptFunction;
import dev.llmgateway.prompt.function.RecordSchema;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a prompt function costs on top of the call it makes: {@link PromptFunction#apply} of a sentiment
 * function (prompt {@code sentiment} from {@code src/main/resources/prompts/sentiment.yaml}: the input
 * record converted to variables and checked against its schema, the prompt selected and rendered, the
 * model group and the JSON-schema response format set, the answer checked against the output schema and
 * read into the {@link Sentiment} record), against the same request made with raw OkHttp and Jackson.
 * A third method sends that very request through {@link LlmGateway#chat} with no interceptors, so the
 * report separates the gateway's share from the function's, and a fourth runs the function over a client
 * that answers at once, which is the function's own CPU without the noise of a loopback call.
 *
 * <p>All three send the same body (model, temperature 0, the system message, a {@link #REVIEW} of
 * 1 KB, the {@code json_schema} response format) to the same loopback server, which answers
 * {@link #ANSWER} to every call, and all three end with a {@link Sentiment}: the baseline and
 * {@code gatewayChat} read the answer's text into it with a plain {@code ObjectMapper.readValue}.
 * {@link #setUp} compares the three bodies as the server received them and refuses to run when they
 * differ.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PromptFunctionBenchmark {
  private static final MediaType JSON = MediaType.get("application/json");

  /** What the model answers, as the assistant's content, to every call. */
  static final String ANSWER = "{\"label\":\"POSITIVE\",\"confidence\":0.93}";

  /** The prompt's system message, as {@code sentiment.yaml} renders it. */
  static final String SYSTEM = "You classify the sentiment of product reviews as POSITIVE, NEGATIVE or "
      + "NEUTRAL, with your confidence between 0 and 1. Answer with JSON only.";

  /** The model the prompt names. */
  static final String MODEL = "openai/fake-model";

  /** A product review of exactly 1024 bytes of ASCII: the function's input and the user message. */
  static final String REVIEW = String.join("\n",
      "I bought the Aeron-style mesh office chair in March after my old one cracked at the base, and after",
      "seven weeks of daily use (about 9 hours a day, 5 days a week) I can finally give it a fair review.",
      "Assembly took 25 minutes with the included hex key; the instructions were clear, although step 4",
      "shows the gas lift upside down, which cost me ten minutes and some swearing. The lumbar support is",
      "the best part: it adjusts in height and depth, and my lower back pain is mostly gone. The armrests",
      "move in four directions and lock firmly. The mesh seat stays cool in a warm room, unlike my old",
      "foam seat. Two small complaints: the tilt tension knob needs a lot of turns to make a difference,",
      "and the casters are loud on hard floors, so I swapped them for 3-inch rubber wheels for 19 dollars.",
      "Customer service answered my email within a day and sent a spare bolt for free. At 429 dollars it",
      "is not cheap, but it feels worth it. I would buy it again and have already recommended it to two",
      "of my colleagues who also work from home.");

  /** The function's input: its component is the template's variable {@code text}. */
  public record Review(String text) {}

  /** The three answers. */
  public enum Label { POSITIVE, NEGATIVE, NEUTRAL }

  /** The function's output, whose JSON schema is the request's response format. */
  public record Sentiment(Label label, double confidence) {}

  private LoopbackFixture fixture;
  private LlmGateway gateway;
  private PromptFunction<Review, Sentiment> function;
  private PromptFunction<Review, Sentiment> functionInMemory;
  private Review review;
  private ChatRequest request;
  private ObjectNode schema;
  private String url;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (REVIEW.length() != 1024) {
      throw new IllegalStateException("the review must be 1024 characters, was " + REVIEW.length());
    }
    fixture = new LoopbackFixture(ANSWER);
    url = fixture.server.chatCompletionsUrl();
    gateway = LlmGateway.builder()
        .discoverProviders(false)
        .sharedResource(OkHttpClient.class, fixture.httpClient)
        .provider(OpenAiChatProvider.builder().baseUrl(fixture.server.baseUrl())
            .httpClient(fixture.httpClient).objectMapper(fixture.objectMapper).build())
        .build();
    PromptRegistry registry = PromptRegistry.builder().loadClasspath("prompts").build();
    function = PromptFunction.builder("sentiment", Review.class, Sentiment.class)
        .client(gateway).registry(registry)
        .build();
    ChatResponse canned = ChatResponse.builder().model("fake-model").provider("openai")
        .message(Message.assistant(ANSWER)).build();
    functionInMemory = PromptFunction.builder("sentiment", Review.class, Sentiment.class)
        .client(new InstantClient(canned)).registry(registry)
        .build();
    review = new Review(REVIEW);
    String schemaJson = RecordSchema.of(Sentiment.class).json();
    // What a hand-written client keeps as a constant: the schema, parsed once.
    schema = (ObjectNode) fixture.objectMapper.readTree(schemaJson);
    request = ChatRequest.builder().model(MODEL).temperature(0.0)
        .system(SYSTEM).user(REVIEW)
        .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "sentiment", schemaJson, true))
        .build();
    checkSameRequests();
  }

  /** Fails unless the three methods send the same body and get the same sentiment. */
  private void checkSameRequests() throws IOException {
    Sentiment expected = new Sentiment(Label.POSITIVE, 0.93);
    Sentiment fromFunction = promptFunction();
    JsonNode functionBody = fixture.server.requests().get(0).json();
    Sentiment fromGateway = gatewayChat();
    JsonNode gatewayBody = fixture.server.requests().get(0).json();
    Sentiment fromBaseline = baselineRawOkHttp();
    JsonNode baselineBody = fixture.server.requests().get(0).json();
    if (!expected.equals(fromFunction) || !expected.equals(fromGateway) || !expected.equals(fromBaseline)) {
      throw new IllegalStateException("expected " + expected + " from all three, got " + fromFunction
          + ", " + fromGateway + ", " + fromBaseline);
    }
    if (!functionBody.equals(gatewayBody) || !functionBody.equals(baselineBody)) {
      throw new IllegalStateException("the three requests differ:\n function: " + functionBody
          + "\n gateway:  " + gatewayBody + "\n baseline: " + baselineBody);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    fixture.close();
  }

  /**
   * The baseline: build the JSON body (the schema a constant node), POST it, parse the answer, read its
   * text into the record.
   */
  @Benchmark
  public Sentiment baselineRawOkHttp() throws IOException {
    ObjectNode body = fixture.objectMapper.createObjectNode();
    body.put("model", "fake-model");
    body.put("temperature", 0.0);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM);
    messages.addObject().put("role", "user").put("content", REVIEW);
    ObjectNode jsonSchema = body.putObject("response_format").put("type", "json_schema")
        .putObject("json_schema");
    jsonSchema.put("name", "sentiment");
    jsonSchema.set("schema", schema);
    jsonSchema.put("strict", true);
    Request http = new Request.Builder().url(url)
        .post(RequestBody.create(fixture.objectMapper.writeValueAsBytes(body), JSON)).build();
    try (Response response = fixture.httpClient.newCall(http).execute()) {
      JsonNode json = fixture.objectMapper.readTree(response.body().byteStream());
      String text = json.path("choices").path(0).path("message").path("content").asText();
      return fixture.objectMapper.readValue(text, Sentiment.class);
    }
  }

  /** The same request through the gateway with no interceptors, its text read into the record. */
  @Benchmark
  public Sentiment gatewayChat() throws IOException {
    return fixture.objectMapper.readValue(gateway.chat(request).text(), Sentiment.class);
  }

  /** The prompt function: variables, selection, rendering, the call through the gateway, parsing. */
  @Benchmark
  public Sentiment promptFunction() {
    return function.apply(review);
  }

  /**
   * The function's own CPU: the same function over a {@link ChatClient} that answers at once, without
   * HTTP or a gateway. Its ratio to the loopback baseline says what the function adds to a call when the
   * network is noise-free.
   */
  @Benchmark
  public Sentiment promptFunctionOverInstantClient() {
    return functionInMemory.apply(review);
  }

  /** Answers every blocking call with one prebuilt response. */
  private static final class InstantClient implements ChatClient {
    private final ChatResponse answer;

    InstantClient(ChatResponse answer) {
      this.answer = answer;
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallOptions options) {
      return answer;
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallOptions options) {
      throw new UnsupportedOperationException("blocking calls only");
    }

    @Override
    public ChatStream stream(ChatRequest request, CallOptions options) {
      throw new UnsupportedOperationException("blocking calls only");
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, CallOptions options,
        StreamHandler handler) {
      throw new UnsupportedOperationException("blocking calls only");
    }

    @Override
    public void close() {}
  }
}

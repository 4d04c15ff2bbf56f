package dev.llmgateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.spi.ChatProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The cross-provider contract: for each {@link Case}, one {@link ChatRequest} sent unchanged to every
 * adapter, and the one normalized answer ({@link Normalized}) every adapter must turn its own wire's reply
 * into. Each adapter under test is an {@link Adapter}: it builds the provider against a MockWebServer,
 * phrases the same logical answer in its provider's wire format, and checks what the provider put on the
 * wire. {@link #check} runs one case against one adapter.
 *
 * <p>The logical answers: (a) the text "Paris is the capital of France." with 12 input and 7 output tokens
 * and finish STOP; (b) a call of {@code get_weather} with {@code {"city":"Paris"}} and finish TOOL_CALLS;
 * (c, d) the JSON {@code {"city":"Paris","country":"France"}} under a JSON schema and in JSON-object mode;
 * (e, f) the answers of (a) and (b) streamed in several chunks, whose {@code collect()} must equal the
 * same adapter's blocking answer.
 *
 * <p>Adapters in other modules (llm-gateway-bedrock) run it too: this module publishes its test classes
 * as a test jar ({@code <type>test-jar</type>}), so there is one contract.
 */
public final class CrossProviderContract {
  /** The one model string every adapter gets (already stripped of its {@code provider/} prefix). */
  public static final String MODEL = "contract-model";
  public static final String SYSTEM = "Answer in one short sentence.";
  public static final String QUESTION = "What is the capital of France?";
  public static final String WEATHER_QUESTION = "What is the weather in Paris?";
  public static final int MAX_TOKENS = 256;

  public static final String ANSWER = "Paris is the capital of France.";
  /** The pieces every streamed text answer arrives in. */
  public static final List<String> ANSWER_PIECES = List.of("Paris", " is the capital", " of France",
      ".");

  public static final String TOOL_NAME = "get_weather";
  public static final String TOOL_DESCRIPTION = "The current weather in a city.";
  public static final String TOOL_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  public static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
  /** The pieces every streamed tool call's arguments arrive in (where the wire streams them). */
  public static final List<String> TOOL_ARGUMENT_PIECES = List.of("{\"ci", "ty\": \"Pa", "ris\"}");

  public static final String SCHEMA_NAME = "capital";
  public static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"country\":{\"type\":\"string\"}},\"required\":[\"city\",\"country\"],"
      + "\"additionalProperties\":false}";
  public static final String JSON_ANSWER = "{\"city\":\"Paris\",\"country\":\"France\"}";

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private CrossProviderContract() {}

  /** What is asked, and how the answer comes back. */
  public enum Case {
    /** (a) A plain text answer. */
    TEXT,
    /** (b) A tool call. */
    TOOL_CALL,
    /** (c) JSON constrained by a schema. */
    JSON_SCHEMA,
    /** (d) JSON without a schema. */
    JSON_OBJECT,
    /** (e) The text answer of (a), streamed. */
    STREAMED_TEXT,
    /** (f) The tool call of (b), streamed. */
    STREAMED_TOOL_CALL;

    public boolean streamed() {
      return this == STREAMED_TEXT || this == STREAMED_TOOL_CALL;
    }

    /** The blocking case a streamed case must agree with; the case itself when it is blocking. */
    public Case blocking() {
      return switch (this) {
        case STREAMED_TEXT -> TEXT;
        case STREAMED_TOOL_CALL -> TOOL_CALL;
        default -> this;
      };
    }

    /** Whether the request carries the {@code get_weather} tool. */
    public boolean hasTool() {
      return blocking() == TOOL_CALL;
    }
  }

  /** The request of {@code c}: the same for every adapter. */
  public static ChatRequest request(Case c) {
    ChatRequest.Builder b = ChatRequest.builder().model(MODEL).system(SYSTEM).maxTokens(MAX_TOKENS);
    switch (c.blocking()) {
      case TEXT -> b.user(QUESTION);
      case TOOL_CALL -> b.user(WEATHER_QUESTION)
          .tool(ToolDefinition.of(TOOL_NAME, TOOL_DESCRIPTION, TOOL_SCHEMA));
      case JSON_SCHEMA -> b.user(QUESTION)
          .responseFormat(ResponseFormat.jsonSchema(SCHEMA_NAME, SCHEMA));
      case JSON_OBJECT -> b.user(QUESTION).responseFormat(ResponseFormat.jsonObject());
      default -> throw new AssertionError(c);
    }
    return b.build();
  }

  /** The usage every adapter's reply to {@code c} reports, in normalized terms. */
  public static Usage usage(Case c) {
    return switch (c.blocking()) {
      case TEXT -> Usage.of(12, 7);
      case TOOL_CALL -> Usage.of(61, 15);
      case JSON_SCHEMA, JSON_OBJECT -> Usage.of(40, 11);
      default -> throw new AssertionError(c);
    };
  }

  /** The normalized answer every adapter must return for {@code c}. */
  public static Normalized expected(Case c) {
    Usage usage = usage(c);
    return switch (c.blocking()) {
      case TEXT -> new Normalized(ANSWER, List.of(), FinishReason.STOP, usage.inputTokens(),
          usage.outputTokens());
      case TOOL_CALL -> new Normalized("", List.of(new Call(TOOL_NAME, json(TOOL_ARGUMENTS))),
          FinishReason.TOOL_CALLS, usage.inputTokens(), usage.outputTokens());
      case JSON_SCHEMA, JSON_OBJECT -> new Normalized(JSON_ANSWER, List.of(), FinishReason.STOP,
          usage.inputTokens(), usage.outputTokens());
      default -> throw new AssertionError(c);
    };
  }

  /**
   * What a {@link ChatResponse} must agree on across providers: the text, the tool calls (name and
   * parsed arguments; ids differ per provider), the finish reason and input/output usage.
   */
  public record Normalized(String text, List<Call> toolCalls, FinishReason finishReason,
      long inputTokens, long outputTokens) {

    public static Normalized of(ChatResponse response) {
      List<Call> calls = new ArrayList<>();
      for (ContentPart.ToolCall call : response.toolCalls()) {
        calls.add(new Call(call.name(), json(call.arguments())));
      }
      return new Normalized(response.text(), calls, response.finishReason(),
          response.usage().inputTokens(), response.usage().outputTokens());
    }
  }

  /** A tool call without its provider-specific id. */
  public record Call(String name, JsonNode arguments) {}

  /** One adapter under contract. */
  public interface Adapter {
    /** A name for the test report, e.g. {@code openai} or {@code groq (preset)}. */
    String name();

    /** The provider, built against {@code server}. */
    ChatProvider create(MockWebServer server);

    /** The cases the adapter refuses by design, before any HTTP call. */
    Set<Case> refusedByDesign();

    /** The answer of {@code c} in the provider's wire format. */
    MockResponse reply(Case c);

    /** Checks, in the provider's terms, what the provider sent for {@code c}. */
    void assertRequest(Case c, RecordedRequest request, JsonNode body);
  }

  /**
   * Runs {@code c} against {@code adapter}: a refused case must fail with
   * {@link UnsupportedFeatureException} without any HTTP call; a blocking case must return
   * {@link #expected}; a streamed case must arrive in several chunks and collect into the same adapter's
   * blocking answer, which must be {@link #expected}. Every request is checked by the adapter.
   */
  public static void check(Adapter adapter, Case c, MockWebServer server) throws InterruptedException {
    ChatRequest request = request(c);
    try (ChatProvider provider = adapter.create(server)) {
      if (adapter.refusedByDesign().contains(c)) {
        UnsupportedFeatureException refused = catchThrowableOfType(UnsupportedFeatureException.class,
            () -> {
              if (c.streamed()) {
                provider.stream(request, CallContext.standalone(true)).close();
              } else {
                provider.chat(request, CallContext.standalone(false));
              }
            });
        assertThat(refused).as("%s must refuse %s by design", adapter.name(), c).isNotNull();
        assertThat(refused.provider()).isEqualTo(provider.name());
        assertThat(refused.isRetryable()).isFalse();
        assertThat(server.getRequestCount()).as("HTTP calls made").isZero();
        return;
      }
      if (!c.streamed()) {
        server.enqueue(adapter.reply(c));
        ChatResponse response = provider.chat(request, CallContext.standalone(false));
        assertAnswer(adapter, c, provider, response);
        checkRequest(adapter, c, server);
        return;
      }
      server.enqueue(adapter.reply(c.blocking()));
      server.enqueue(adapter.reply(c));
      ChatResponse blocking = provider.chat(request, CallContext.standalone(false));
      AtomicInteger contentChunks = new AtomicInteger();
      ChatResponse streamed;
      try (ChatStream stream = provider.stream(request, CallContext.standalone(true))) {
        streamed = stream.peek(chunk -> {
          if (chunk instanceof ChatChunk.TextDelta || chunk instanceof ChatChunk.ToolCallDelta) {
            contentChunks.incrementAndGet();
          }
        }).collect();
      }
      assertAnswer(adapter, c.blocking(), provider, blocking);
      assertAnswer(adapter, c, provider, streamed);
      assertThat(Normalized.of(streamed)).as("%s: streamed answer vs blocking answer", adapter.name())
          .isEqualTo(Normalized.of(blocking));
      assertThat(contentChunks.get()).as("%s: content chunks of the stream", adapter.name())
          .isGreaterThan(c == Case.STREAMED_TEXT ? 1 : 0);
      checkRequest(adapter, c.blocking(), server);
      checkRequest(adapter, c, server);
    }
  }

  private static void assertAnswer(Adapter adapter, Case c, ChatProvider provider,
      ChatResponse response) {
    assertThat(Normalized.of(response)).as("%s: normalized answer to %s", adapter.name(), c)
        .isEqualTo(expected(c));
    assertThat(response.provider()).isEqualTo(provider.name());
    assertThat(response.model()).isNotBlank();
    for (ContentPart.ToolCall call : response.toolCalls()) {
      assertThat(call.id()).as("%s: tool call id", adapter.name()).isNotBlank();
    }
  }

  private static void checkRequest(Adapter adapter, Case c, MockWebServer server)
      throws InterruptedException {
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded).as("%s: the request of %s", adapter.name(), c).isNotNull();
    assertThat(recorded.getMethod()).isEqualTo("POST");
    adapter.assertRequest(c, recorded, json(recorded.getBody().utf8()));
  }

  // --- helpers shared by the adapters' reply builders

  /** {@code text} parsed as JSON. */
  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code text} parsed as a JSON object. */
  public static ObjectNode object(String text) {
    return (ObjectNode) json(text);
  }

  /** {@code node} as compact JSON text. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded payload of {@code conformance.dir}/{@code provider}/{@code name}, as text. */
  public static String recording(String provider, String name) {
    String configured = System.getProperty("conformance.dir");
    Path dir = configured != null ? Paths.get(configured) : Paths.get("../../shared/conformance");
    Path file = dir.resolve(provider).resolve(name);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("recording not found: " + file.toAbsolutePath(), e);
    }
  }

  /** A recorded JSON body, parsed, ready to be adapted. */
  public static ObjectNode recordedObject(String provider, String name) {
    return object(recording(provider, name));
  }

  /**
   * The JSON events of a recorded stream, in order: the {@code data:} payloads of a {@code .sse} file
   * (without OpenAI's {@code [DONE]}), or the lines of a {@code .jsonl}/{@code .ndjson} file.
   */
  public static List<ObjectNode> recordedEvents(String provider, String name) {
    List<ObjectNode> events = new ArrayList<>();
    for (String line : recording(provider, name).lines().toList()) {
      String payload = name.endsWith(".sse")
          ? (line.startsWith("data:") ? line.substring(5).strip() : "")
          : line.strip();
      if (!payload.isEmpty() && !payload.equals("[DONE]")) {
        events.add(object(payload));
      }
    }
    return events;
  }

  /** A 200 answer with {@code body} as {@code contentType} and the given header pairs. */
  public static MockResponse answer(String contentType, String body, String... headerPairs) {
    MockResponse.Builder b = new MockResponse.Builder().code(200)
        .addHeader("Content-Type", contentType).body(body);
    for (int i = 0; i < headerPairs.length; i += 2) {
      b.addHeader(headerPairs[i], headerPairs[i + 1]);
    }
    return b.build();
  }
}

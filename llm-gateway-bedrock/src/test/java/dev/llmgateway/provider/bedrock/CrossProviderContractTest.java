package dev.llmgateway.provider.bedrock;

import static dev.llmgateway.provider.CrossProviderContract.ANSWER_PIECES;
import static dev.llmgateway.provider.CrossProviderContract.MAX_TOKENS;
import static dev.llmgateway.provider.CrossProviderContract.MODEL;
import static dev.llmgateway.provider.CrossProviderContract.SYSTEM;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_ARGUMENTS;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_ARGUMENT_PIECES;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_DESCRIPTION;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_NAME;
import static dev.llmgateway.provider.CrossProviderContract.TOOL_SCHEMA;
import static dev.llmgateway.provider.CrossProviderContract.expected;
import static dev.llmgateway.provider.CrossProviderContract.json;
import static dev.llmgateway.provider.CrossProviderContract.recordedEvents;
import static dev.llmgateway.provider.CrossProviderContract.recordedObject;
import static dev.llmgateway.provider.CrossProviderContract.usage;
import static dev.llmgateway.provider.CrossProviderContract.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.llmgateway.Usage;
import dev.llmgateway.provider.CrossProviderContract;
import dev.llmgateway.provider.CrossProviderContract.Adapter;
import dev.llmgateway.provider.CrossProviderContract.Case;
import dev.llmgateway.spi.ChatProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The twin of llm-gateway-providers' {@code dev.llmgateway.provider.CrossProviderContractTest} for the
 * Bedrock Converse adapter, which lives in a module of its own: the same requests, the same expected
 * normalized answers and the same runner ({@link CrossProviderContract}, the providers module's own test
 * fixture, from its test jar), with Bedrock's own wire: Converse JSON bodies and AWS event-stream frames.
 *
 * <p>Refused by design, before any HTTP call: both JSON output modes (Converse has no portable
 * structured-output field; {@link BedrockChatProvider#CAPABILITIES} says so).
 */
class CrossProviderContractTest {
  private static final String KEY = BedrockChatProviderTest.API_KEY;

  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "bedrock: {0}")
  @EnumSource(Case.class)
  void bedrockReturnsTheSameNormalizedResponse(Case c) throws Exception {
    CrossProviderContract.check(new Bedrock(), c, server);
  }

  @Test
  void refusalsByDesignAreExactlyTheseOnes() {
    assertThat(new Bedrock().refusedByDesign()).containsExactlyInAnyOrder(Case.JSON_SCHEMA,
        Case.JSON_OBJECT);
    assertThat(BedrockChatProvider.CAPABILITIES.jsonSchema()).isFalse();
  }

  /** Bedrock's Converse API, with a Bedrock API key (SigV4 is covered by the adapter's own tests). */
  static final class Bedrock implements Adapter {
    @Override
    public String name() {
      return "bedrock";
    }

    @Override
    public String toString() {
      return name();
    }

    @Override
    public ChatProvider create(MockWebServer server) {
      return BedrockChatProvider.builder().baseUrl(server.url("/").toString()).apiKey(KEY).build();
    }

    @Override
    public Set<Case> refusedByDesign() {
      return EnumSet.of(Case.JSON_SCHEMA, Case.JSON_OBJECT);
    }

    @Override
    public MockResponse reply(Case c) {
      return switch (c) {
        case STREAMED_TEXT -> eventStream(textStream());
        case STREAMED_TOOL_CALL -> eventStream(toolStream());
        default -> CrossProviderContract.answer("application/json", write(blocking(c)));
      };
    }

    /**
     * The recorded Converse body with its content replaced: the answer's text, or (no blocking tool call
     * is recorded) a {@code toolUse} block in the shape of the recorded tool stream's.
     */
    private static ObjectNode blocking(Case c) {
      ObjectNode body = recordedObject("bedrock", "converse-text.json");
      ArrayNode content = (ArrayNode) body.at("/output/message/content");
      if (c.hasTool()) {
        content.removeAll().addObject().putObject("toolUse").put("toolUseId", "weather-tool-1")
            .put("name", TOOL_NAME).set("input", json(TOOL_ARGUMENTS));
        body.put("stopReason", "tool_use");
      } else {
        ((ObjectNode) content.get(0)).put("text", expected(c).text());
      }
      setUsage((ObjectNode) body.get("usage"), usage(c));
      return body;
    }

    /** The recorded text stream: its first text delta copied per piece, the rest as recorded. */
    private static List<Map.Entry<String, ObjectNode>> textStream() {
      List<Map.Entry<String, ObjectNode>> out = new ArrayList<>();
      boolean deltasWritten = false;
      for (Map.Entry<String, ObjectNode> e : events("converse-stream-text.jsonl")) {
        if (e.getKey().equals("contentBlockDelta")) {
          if (!deltasWritten) {
            for (String piece : ANSWER_PIECES) {
              ObjectNode d = e.getValue().deepCopy();
              ((ObjectNode) d.get("delta")).put("text", piece);
              out.add(Map.entry(e.getKey(), d));
            }
            deltasWritten = true;
          }
          continue;
        }
        out.add(Map.entry(e.getKey(), e.getValue().deepCopy()));
      }
      setStreamUsage(out, usage(Case.STREAMED_TEXT));
      return out;
    }

    /**
     * The hand-built (upstream) stream of a text block then two tool uses, cut to the first tool use,
     * renumbered to block 0, renamed, and with its input fragments replaced.
     */
    private static List<Map.Entry<String, ObjectNode>> toolStream() {
      List<Map.Entry<String, ObjectNode>> out = new ArrayList<>();
      boolean fragmentsWritten = false;
      for (Map.Entry<String, ObjectNode> e : events("converse-stream-text-then-two-tool-uses.jsonl")) {
        ObjectNode payload = e.getValue().deepCopy();
        JsonNode index = payload.get("contentBlockIndex");
        if (index != null) {
          if (index.asInt() != 1) {
            continue;
          }
          payload.put("contentBlockIndex", 0);
        }
        switch (e.getKey()) {
          case "contentBlockStart" -> ((ObjectNode) payload.at("/start/toolUse")).put("name", TOOL_NAME);
          case "contentBlockDelta" -> {
            if (!fragmentsWritten) {
              for (String piece : TOOL_ARGUMENT_PIECES) {
                ObjectNode d = payload.deepCopy();
                ((ObjectNode) d.at("/delta/toolUse")).put("input", piece);
                out.add(Map.entry(e.getKey(), d));
              }
              fragmentsWritten = true;
            }
            continue;
          }
          default -> {
            // as recorded
          }
        }
        out.add(Map.entry(e.getKey(), payload));
      }
      setStreamUsage(out, usage(Case.STREAMED_TOOL_CALL));
      return out;
    }

    private static List<Map.Entry<String, ObjectNode>> events(String recording) {
      List<Map.Entry<String, ObjectNode>> events = new ArrayList<>();
      for (ObjectNode line : recordedEvents("bedrock", recording)) {
        String type = line.fieldNames().next();
        events.add(Map.entry(type, (ObjectNode) line.get(type)));
      }
      return events;
    }

    private static void setStreamUsage(List<Map.Entry<String, ObjectNode>> events, Usage usage) {
      for (Map.Entry<String, ObjectNode> e : events) {
        if (e.getKey().equals("metadata")) {
          setUsage((ObjectNode) e.getValue().get("usage"), usage);
        }
      }
    }

    private static void setUsage(ObjectNode u, Usage usage) {
      u.put("inputTokens", usage.inputTokens()).put("outputTokens", usage.outputTokens())
          .put("totalTokens", usage.totalTokens());
    }

    /** The events as AWS event-stream frames, as Bedrock sends a ConverseStream answer. */
    private static MockResponse eventStream(List<Map.Entry<String, ObjectNode>> events) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (Map.Entry<String, ObjectNode> e : events) {
        body.writeBytes(BedrockTestSupport.event(e.getKey(), write(e.getValue())));
      }
      return new MockResponse.Builder().code(200)
          .addHeader("Content-Type", "application/vnd.amazon.eventstream")
          .body(new Buffer().write(body.toByteArray())).build();
    }

    @Override
    public void assertRequest(Case c, RecordedRequest request, JsonNode body) {
      assertThat(request.getUrl().encodedPath()).isEqualTo("/model/" + MODEL
          + (c.streamed() ? "/converse-stream" : "/converse"));
      assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(body.has("model")).isFalse();
      assertThat(body.get("system")).isEqualTo(json("[{\"text\":" + quote(SYSTEM) + "}]"));
      assertThat(body.get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":[{\"text\":"
          + quote(CrossProviderContract.request(c).messages().get(1).text()) + "}]}]"));
      assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(MAX_TOKENS);
      if (c.hasTool()) {
        assertThat(body.get("toolConfig")).isEqualTo(json("{\"tools\":[{\"toolSpec\":{\"name\":"
            + quote(TOOL_NAME) + ",\"description\":" + quote(TOOL_DESCRIPTION)
            + ",\"inputSchema\":{\"json\":" + TOOL_SCHEMA + "}}}]}"));
      } else {
        assertThat(body.has("toolConfig")).isFalse();
      }
    }

    private static String quote(String s) {
      return write(TextNode.valueOf(s));
    }
  }
}

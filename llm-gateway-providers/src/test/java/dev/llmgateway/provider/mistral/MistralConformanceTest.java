package dev.llmgateway.provider.mistral;

import static dev.llmgateway.provider.mistral.MistralTestSupport.REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.provider.ConformanceFiles;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.openai.ChatCompletionsRecording;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays every recording of {@code conformance/mistral} and checks it against the recording. */
class MistralConformanceTest {
  private static final String DIR = "mistral";
  private final ObjectMapper mapper = new ObjectMapper();
  @RegisterExtension
  final MockServer mock = new MockServer();
  private MockWebServer server;
  private OkHttpClient client;
  private MistralChatProvider provider;

  @BeforeEach
  void start() {
    server = mock.server();
    client = mock.client();
    provider = MistralTestSupport.providerFor(server, client).build();
  }

  static Stream<Path> streamRecordings() {
    return ConformanceFiles.files(DIR, ".sse", ".jsonl").stream();
  }

  private List<ChatChunk> replay(Path file) {
    // Mistral ends its streams with [DONE]; the .jsonl recorder stripped it
    return ChatCompletionsRecording.replay(server, provider, MistralTestSupport.request(), file, true,
        "x-request-id", REQUEST_ID);
  }

  @ParameterizedTest
  @MethodSource("streamRecordings")
  void streamedAnswerMatchesTheRecording(Path file) {
    ChatCompletionsRecording.Expected expected = ChatCompletionsRecording.expected(file);
    List<ChatChunk> chunks = replay(file);
    assertThat(chunks.get(0)).isEqualTo(new ChatChunk.Start(expected.id(), expected.model(), "mistral",
        REQUEST_ID));
    ChatResponse response = ChatCompletionsRecording.assemble(chunks);
    assertThat(response.text()).isEqualTo(expected.text());
    assertThat(response.rawFinishReason()).isEqualTo(expected.finishReason());
    assertThat(response.usage()).isEqualTo(expected.usage());
    assertThat(response.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(response.id()).isEqualTo(expected.id());
    assertThat(response.model()).isEqualTo(expected.model());
    assertThat(ChatCompletionsRecording.argumentsAreJsonObjects(response)).isTrue();
  }

  @Test
  void textStreamSpotCheck() {
    ChatResponse r = ChatCompletionsRecording.assemble(replay(ConformanceFiles.file(DIR,
        "stream-text.jsonl")));
    assertThat(r.text()).isEqualTo("Hello, world! This is a test response.");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    // usage on the last chunk although no stream_options was sent
    assertThat(r.usage()).isEqualTo(Usage.of(13, 8));
    assertThat(r.id()).isEqualTo("5319bd0299614c679a0068a4f2c8ffd0");
    assertThat(r.model()).isEqualTo("mistral-small-latest");
  }

  @Test
  void aWholeToolCallWithoutIndexArrivesWithTheFinish() {
    List<ChatChunk> chunks = replay(ConformanceFiles.file(DIR, "stream-tool-call.sse"));
    assertThat(chunks).contains(new ChatChunk.ToolCallDelta(null, "u2ef3Udel",
        "WeatherPlugin-GetWeather", "{\"location\": \"Paris\", \"unit\": \"celsius\"}"));
    ChatResponse r = ChatCompletionsRecording.assemble(chunks);
    assertThat(r.toolCalls()).containsExactly(new ContentPart.ToolCall("u2ef3Udel",
        "WeatherPlugin-GetWeather", "{\"location\": \"Paris\", \"unit\": \"celsius\"}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(Usage.of(118, 31));
    assertThat(r.text()).isEmpty();
  }

  private ChatResponse blocking(String name) {
    server.enqueue(MockResponses.json(200, ConformanceFiles.text(ConformanceFiles.file(DIR, name))));
    return provider.chat(MistralTestSupport.request(), CallContext.standalone(false));
  }

  @Test
  void blockingTextMatchesTheRecording() throws Exception {
    JsonNode recorded = mapper.readTree(ConformanceFiles.bytes(ConformanceFiles.file(DIR,
        "response-text.json")));
    ChatResponse r = blocking("response-text.json");
    JsonNode choice = recorded.get("choices").get(0);
    assertThat(r.text()).isEqualTo(choice.get("message").get("content").asText());
    assertThat(r.rawFinishReason()).isEqualTo(choice.get("finish_reason").asText());
    assertThat(r.usage()).isEqualTo(Usage.of(recorded.get("usage").get("prompt_tokens").asLong(),
        recorded.get("usage").get("completion_tokens").asLong()));
    assertThat(r.id()).isEqualTo(recorded.get("id").asText());
    // literal spot checks
    assertThat(r.usage()).isEqualTo(Usage.of(13, 434));
    assertThat(r.text()).startsWith("**Holiday Name: \"World Kindness Day of Sharing\"**")
        .endsWith("What would you share? \uD83D\uDE0A");
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.provider()).isEqualTo("mistral");
  }

  @Test
  void blockingToolCallKeepsTheNineCharacterId() throws Exception {
    JsonNode recorded = mapper.readTree(ConformanceFiles.bytes(ConformanceFiles.file(DIR,
        "response-tool-call.json")));
    JsonNode call = recorded.get("choices").get(0).get("message").get("tool_calls").get(0);
    ChatResponse r = blocking("response-tool-call.json");
    assertThat(r.toolCalls()).containsExactly(new ContentPart.ToolCall(call.get("id").asText(),
        call.get("function").get("name").asText(), call.get("function").get("arguments").asText()));
    assertThat(r.toolCalls().get(0)).isEqualTo(new ContentPart.ToolCall("gSIMJiOkT", "weather",
        "{\"location\": \"San Francisco\"}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(Usage.of(124, 22));
  }

  @Test
  void everyRecordingIsCovered() {
    assertThat(ConformanceFiles.files(DIR, ".sse", ".jsonl", ".json"))
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("response-text.json", "response-tool-call.json", "stream-text.jsonl",
            "stream-tool-call.sse");
  }
}

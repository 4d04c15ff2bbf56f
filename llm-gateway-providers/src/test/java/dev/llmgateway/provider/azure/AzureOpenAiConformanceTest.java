package dev.llmgateway.provider.azure;

import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.APIM_REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.provider.ConformanceFiles;
import dev.llmgateway.provider.MockServer;
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

/**
 * Replays the Chat Completions recordings of {@code conformance/azure-openai} and checks each answer
 * against what the recording itself says. The Responses-API recording there belongs to the Responses
 * adapter.
 */
class AzureOpenAiConformanceTest {
  private static final String DIR = "azure-openai";
  private static final String RESPONSES_RECORDING = "responses-stream-function-call.jsonl";
  @RegisterExtension
  final MockServer mock = new MockServer();
  private MockWebServer server;
  private OkHttpClient client;
  private AzureOpenAiChatProvider provider;

  @BeforeEach
  void start() {
    server = mock.server();
    client = mock.client();
    provider = AzureOpenAiTestSupport.providerFor(server, client).build();
  }

  static Stream<Path> chatRecordings() {
    return ConformanceFiles.files(DIR, ".sse", ".jsonl").stream()
        .filter(p -> !p.getFileName().toString().equals(RESPONSES_RECORDING));
  }

  private List<ChatChunk> replay(Path file) {
    // Azure ends its streams with [DONE] like OpenAI; the .jsonl recorder stripped it
    return ChatCompletionsRecording.replay(server, provider, AzureOpenAiTestSupport.request(), file,
        true, "apim-request-id", APIM_REQUEST_ID, "x-request-id", "other-id");
  }

  @ParameterizedTest
  @MethodSource("chatRecordings")
  void streamedAnswerMatchesTheRecording(Path file) {
    ChatCompletionsRecording.Expected expected = ChatCompletionsRecording.expected(file);
    List<ChatChunk> chunks = replay(file);
    // the anonymous leading prompt_filter_results chunk does not take the Start
    assertThat(chunks.get(0)).isEqualTo(new ChatChunk.Start(expected.id(), expected.model(), "azure",
        APIM_REQUEST_ID));
    assertThat(chunks).filteredOn(c -> c instanceof ChatChunk.Start).hasSize(1);
    ChatResponse response = ChatCompletionsRecording.assemble(chunks);
    assertThat(response.text()).isEqualTo(expected.text());
    assertThat(response.rawFinishReason()).isEqualTo(expected.finishReason());
    assertThat(response.usage()).isEqualTo(expected.usage() != null ? expected.usage() : Usage.ZERO);
    assertThat(response.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(response.id()).isEqualTo(expected.id());
    assertThat(response.model()).isEqualTo(expected.model());
    assertThat(response.provider()).isEqualTo("azure");
    assertThat(response.requestId()).isEqualTo(APIM_REQUEST_ID);
  }

  @Test
  void modelRouterStreamSpotCheck() {
    ChatResponse r = ChatCompletionsRecording.assemble(
        replay(ConformanceFiles.file(DIR, "chat-stream-model-router.jsonl")));
    assertThat(r.text()).isEqualTo("Capital of Denmark.");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(new Usage(15, 78, 0, 0, 64, false));
    assertThat(r.model()).isEqualTo("gpt-5-nano-2025-08-07");
    assertThat(r.id()).isEqualTo("chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt");
  }

  @Test
  void contentFilterAnnotationsMapToNothing() {
    List<ChatChunk> chunks = replay(ConformanceFiles.file(DIR,
        "chat-stream-content-filter-annotations.sse"));
    assertThat(chunks).containsExactly(
        new ChatChunk.Start("chatcmpl-123", "gpt-4o-2024-05-13", "azure", APIM_REQUEST_ID),
        new ChatChunk.TextDelta("Kindness"),
        new ChatChunk.Finish(FinishReason.STOP, "stop"));
  }

  @Test
  void theResponsesRecordingIsTheResponsesApiAndLeftToItsAdapter() throws Exception {
    Path file = ConformanceFiles.file(DIR, RESPONSES_RECORDING);
    String firstType = new ObjectMapper().readTree(ConformanceFiles.jsonLines(file).get(0))
        .get("type").asText();
    assertThat(firstType).startsWith("response.");
  }

  @Test
  void everyRecordingIsCovered() {
    assertThat(ConformanceFiles.files(DIR, ".sse", ".jsonl", ".json"))
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("chat-stream-content-filter-annotations.sse",
            "chat-stream-model-router.jsonl", RESPONSES_RECORDING);
  }
}

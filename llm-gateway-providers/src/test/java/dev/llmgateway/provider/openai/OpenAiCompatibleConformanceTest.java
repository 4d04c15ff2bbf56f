package dev.llmgateway.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.provider.ConformanceFiles;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.MockResponses;
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
 * Replays every recording of {@code conformance/openai-compatible} through the preset it came from (the
 * Anthropic OpenAI-compatible endpoint through a plain OpenAI provider) and checks the answer against the
 * recording; plus the documented llama.cpp errors, of which no recording exists.
 */
class OpenAiCompatibleConformanceTest {
  private static final String DIR = "openai-compatible";
  @RegisterExtension
  final MockServer mock = new MockServer();
  private MockWebServer server;
  private OkHttpClient client;

  @BeforeEach
  void start() {
    server = mock.server();
    client = mock.client();
  }

  static Stream<Path> recordings() {
    return ConformanceFiles.files(DIR, ".sse", ".jsonl").stream();
  }

  private OpenAiChatProvider providerFor(Path file) {
    String name = file.getFileName().toString();
    OpenAiChatProvider.Builder builder = name.startsWith("groq-")
        ? OpenAiCompatiblePreset.GROQ.builder()
        : name.startsWith("deepseek-")
            ? OpenAiCompatiblePreset.DEEPSEEK.builder()
            : OpenAiChatProvider.builder().providerName("anthropic-compat");
    return builder.baseUrl(server.url("/v1").toString()).httpClient(client).build();
  }

  private List<ChatChunk> replay(Path file) {
    // the compatible servers end their streams with [DONE]; the .jsonl recorder stripped it
    return ChatCompletionsRecording.replay(server, providerFor(file),
        ChatRequest.builder().model("any").user("hi").build(), file, true);
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void streamedAnswerMatchesTheRecording(Path file) {
    ChatCompletionsRecording.Expected expected = ChatCompletionsRecording.expected(file);
    ChatResponse r = ChatCompletionsRecording.assemble(replay(file));
    assertThat(r.text()).isEqualTo(expected.text());
    assertThat(ChatCompletionsRecording.thinkingOf(r)).isEqualTo(expected.thinking());
    assertThat(r.rawFinishReason()).isEqualTo(expected.finishReason());
    assertThat(r.usage()).isEqualTo(expected.usage() != null ? expected.usage() : Usage.ZERO);
    assertThat(r.toolCalls()).isEqualTo(expected.toolCalls());
    assertThat(r.id()).isEqualTo(expected.id());
    assertThat(r.model()).isEqualTo(expected.model());
    assertThat(ChatCompletionsRecording.argumentsAreJsonObjects(r)).isTrue();
  }

  @Test
  void groqToolCallSpotCheck() {
    ChatResponse r = ChatCompletionsRecording.assemble(replay(ConformanceFiles.file(DIR,
        "groq-stream-tool-call.jsonl")));
    assertThat(r.toolCalls()).containsExactly(new ContentPart.ToolCall("tk85n1k4m", "weather", "{}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(Usage.of(210, 15));
    assertThat(r.provider()).isEqualTo("groq");
    assertThat(r.model()).isEqualTo("llama-3.3-70b-versatile");
  }

  @Test
  void deepSeekReasoningAndToolCallSpotCheck() {
    ChatResponse r = ChatCompletionsRecording.assemble(replay(ConformanceFiles.file(DIR,
        "deepseek-stream-reasoning-tool-call.jsonl")));
    assertThat(r.message().content().get(0)).isInstanceOf(ContentPart.Thinking.class);
    assertThat(ChatCompletionsRecording.thinkingOf(r))
        .startsWith("The user is asking for the weather in San Francisco.");
    assertThat(r.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("weather");
      assertThat(c.arguments()).contains("\"San Francisco\"");
    });
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    // prompt_cache_hit_tokens (and cached_tokens) 320, reasoning 39
    assertThat(r.usage()).isEqualTo(new Usage(339, 83, 320, 0, 39, false));
    assertThat(r.model()).isEqualTo("deepseek-reasoner");
  }

  @Test
  void anthropicCompatToolIndexesStartingAtOneSpotCheck() {
    List<ChatChunk> chunks = replay(ConformanceFiles.file(DIR,
        "anthropic-openai-compat-stream-tool-call.sse"));
    assertThat(chunks).filteredOn(c -> c instanceof ChatChunk.ToolCallDelta d && d.id() != null)
        .extracting(c -> ((ChatChunk.ToolCallDelta) c).index()).containsExactly(1);
    ChatResponse r = ChatCompletionsRecording.assemble(chunks);
    assertThat(r.text()).isEqualTo("Reading it.");
    assertThat(r.toolCalls()).containsExactly(new ContentPart.ToolCall("toolu_sanitized", "read_file",
        "{\"path\": \"a.txt\"}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void everyRecordingIsCovered() {
    assertThat(ConformanceFiles.files(DIR, ".sse", ".jsonl", ".json"))
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("groq-stream-tool-call.jsonl",
            "deepseek-stream-reasoning-tool-call.jsonl", "anthropic-openai-compat-stream-tool-call.sse");
  }

  private OpenAiChatProvider llamaCpp() {
    return OpenAiCompatiblePreset.LLAMACPP.builder().baseUrl(server.url("/v1").toString())
        .httpClient(client).build();
  }

  private LlmException llamaCppFailure(int status, String body) {
    server.enqueue(MockResponses.json(status, body));
    return catchThrowableOfType(LlmException.class, () -> llamaCpp().chat(
        ChatRequest.builder().model("any").user("hi").build(), CallContext.standalone(false)));
  }

  @Test
  void llamaCppContextOverflowIsContextLengthEvenAsA500() {
    String body = "{\"error\":{\"code\":%d,\"message\":\"the request exceeds the available context "
        + "size, try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":5000,"
        + "\"n_ctx\":4096}}";
    for (int status : new int[] {400, 500}) {
      LlmException e = llamaCppFailure(status, String.format(body, status));
      assertThat(e).as("HTTP " + status).isInstanceOf(ContextLengthExceededException.class);
      assertThat(e.isRetryable()).as("HTTP " + status).isFalse();
      assertThat(e.provider()).isEqualTo("llamacpp");
    }
  }

  @Test
  void llamaCppLoadingModelIsARetryableUnavailability() {
    LlmException e = llamaCppFailure(503, "{\"error\":{\"code\":503,\"message\":\"Loading model\","
        + "\"type\":\"unavailable_error\"}}");
    assertThat(e).isInstanceOf(ProviderUnavailableException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("Loading model");
  }

  @Test
  void llamaCppContextOverflowMidStreamKeepsItsKind() {
    server.enqueue(MockResponses.sse("data: {\"error\":{\"code\":400,\"message\":\"the request exceeds "
        + "the available context size\",\"type\":\"exceed_context_size_error\"}}\n\n"));
    assertThatThrownBy(() -> llamaCpp().stream(ChatRequest.builder().model("any").user("hi").build(),
        CallContext.standalone(true)).collect()).isInstanceOf(ContextLengthExceededException.class);
  }
}

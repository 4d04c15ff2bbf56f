package dev.llmgateway.provider.ollama.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class OllamaErrorDecoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ErrorContext CTX = ErrorContext.of("ollama", "llama3.2");
  private final OllamaErrorDecoder errors = new OllamaErrorDecoder(MAPPER, "ollama",
      "http://localhost:11434", List.of(Secret.of("cloud-key-123456")), Clock.systemUTC());

  @Test
  void recognisesContextOverflowMessages() {
    assertThat(OllamaErrorDecoder.isContextOverflow("the input length exceeds the context length"))
        .isTrue();
    assertThat(OllamaErrorDecoder.isContextOverflow(
        "the prompt is longer than the context length currently available to the model")).isTrue();
    assertThat(OllamaErrorDecoder.isContextOverflow(
        "request (8889 tokens) exceeds the available context size (4096 tokens), try increasing it"))
        .isTrue();
    assertThat(OllamaErrorDecoder.isContextOverflow("{\"type\":\"exceed_context_size_error\"}"))
        .isTrue();
    assertThat(OllamaErrorDecoder.isContextOverflow("model 'x' not found")).isFalse();
    assertThat(OllamaErrorDecoder.isContextOverflow(null)).isFalse();
  }

  @Test
  void olderServersContextOverflowAs500IsStillContextLength() {
    LlmException e = http(500, "{\"error\":\"input exceeds the context length\"}");
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void nestedErrorObjectsAndNonJsonBodies() {
    assertThat(http(503, "{\"error\":{\"message\":\"overloaded\"}}"))
        .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("overloaded");
    assertThat(http(502, "<html>Bad Gateway</html>"))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("not an Ollama error").hasMessageNotContaining("<html>");
    assertThat(http(400, "")).isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("empty body");
    assertThat(http(408, "{\"error\":\"timeout\"}")).isInstanceOf(LlmTimeoutException.class);
  }

  @Test
  void signinUrlOfTheCloudAndKeysAreNotRepeated() {
    LlmException e = http(401, "{\"error\":\"unauthorized cloud-key-123456\","
        + "\"signin_url\":\"https://ollama.com/connect?name=host&key=c3NoLWVkMjU1MTk\"}");
    assertThat(e.getMessage()).contains("unauthorized").doesNotContain("signin")
        .doesNotContain("c3NoLWVkMjU1MTk").doesNotContain("cloud-key-123456");
  }

  @Test
  void longMessagesAreShortened() {
    LlmException e = http(500, "{\"error\":\"" + "x".repeat(5000) + "\"}");
    assertThat(e.getMessage().length()).isLessThan(700);
  }

  private LlmException http(int status, String body) {
    return errors.fromHttp(status, Headers.of(), body.getBytes(StandardCharsets.UTF_8),
        "application/json", CTX);
  }
}

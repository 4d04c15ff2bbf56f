package dev.llmgateway.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BedrockErrorMappingTest {
  private MockWebServer server;
  private BedrockChatProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = BedrockChatProvider.builder().baseUrl(server.url("/").toString())
        .apiKey(BedrockChatProviderTest.API_KEY).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private LlmException failWith(MockResponse response, boolean stream) {
    server.enqueue(response);
    return catchThrowableOfType(LlmException.class, () -> {
      if (stream) {
        provider.stream(BedrockChatProviderTest.simple(), CallContext.standalone(true)).close();
      } else {
        provider.chat(BedrockChatProviderTest.simple(), CallContext.standalone(false));
      }
    });
  }

  private static MockResponse error(int status, String type, String message) {
    MockResponse.Builder b = new MockResponse.Builder().code(status)
        .addHeader("content-type", "application/json")
        .addHeader("x-amzn-RequestId", "2f5e1c2a-1111-2222-3333-444455556666")
        .body("{\"message\":\"" + message + "\"}");
    if (type != null) {
      b.addHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    }
    return b.build();
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(400, "ValidationException", "Input is too long for requested model.",
            ContextLengthExceededException.class, false),
        Arguments.of(400, "ValidationException",
            "The model returned the following errors: prompt is too long: 210000 tokens > 200000 maximum",
            ContextLengthExceededException.class, false),
        Arguments.of(400, "ValidationException", "Malformed input request: temperature must be <= 1",
            InvalidRequestException.class, false),
        Arguments.of(403, "AccessDeniedException",
            "You don't have access to the model with the specified model ID.",
            AuthenticationException.class, false),
        Arguments.of(403, "UnrecognizedClientException", "The security token included in the request is invalid.",
            AuthenticationException.class, false),
        Arguments.of(403, "ExpiredTokenException", "The security token included in the request is expired",
            AuthenticationException.class, false),
        Arguments.of(404, "ResourceNotFoundException", "Could not resolve the foundation model",
            InvalidRequestException.class, false),
        Arguments.of(429, "ThrottlingException", "Too many requests, please wait before trying again.",
            RateLimitedException.class, true),
        Arguments.of(400, "ServiceQuotaExceededException", "Your account quota was exceeded",
            RateLimitedException.class, false),
        Arguments.of(408, "ModelTimeoutException", "Model has timed out in processing the request.",
            LlmTimeoutException.class, true),
        Arguments.of(429, "ModelNotReadyException", "Model is not ready to serve inference requests.",
            ProviderUnavailableException.class, true),
        Arguments.of(424, "ModelErrorException", "The model failed to process the request.",
            ProviderUnavailableException.class, false),
        Arguments.of(500, "InternalServerException", "Internal server error",
            ProviderUnavailableException.class, true),
        Arguments.of(503, "ServiceUnavailableException", "Service is unavailable",
            ProviderUnavailableException.class, true),
        Arguments.of(502, null, "Bad gateway", ProviderUnavailableException.class, true),
        Arguments.of(429, null, "slow down", RateLimitedException.class, true),
        Arguments.of(401, null, "no", AuthenticationException.class, false));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void mapsEachErrorTypeBlockingAndStreaming(int status, String type, String message,
      Class<? extends LlmException> expected, boolean retryable) {
    for (boolean stream : new boolean[] {false, true}) {
      LlmException e = failWith(error(status, type, message), stream);
      assertThat(e).as("stream=" + stream).isExactlyInstanceOf(expected);
      assertThat(e.isRetryable()).as("retryable").isEqualTo(retryable);
      assertThat(e.httpStatus()).isEqualTo(status);
      assertThat(e.provider()).isEqualTo("bedrock");
      assertThat(e.model()).isEqualTo(BedrockChatProviderTest.MODEL);
      assertThat(e.requestId()).isEqualTo("2f5e1c2a-1111-2222-3333-444455556666");
      assertThat(e.getMessage()).contains("HTTP " + status).contains(message)
          .doesNotContain("internal.amazon.com");
      if (type != null) {
        assertThat(e.getMessage()).contains("(" + type + ")");
      }
    }
  }

  @Test
  void typeMayComeFromTheBodyWhenTheHeaderIsMissing() {
    LlmException e = failWith(new MockResponse.Builder().code(400)
        .body("{\"__type\":\"com.amazon.coral.validate#ValidationException\","
            + "\"message\":\"Input is too long for requested model.\"}").build(), false);
    assertThat(e).isInstanceOf(ContextLengthExceededException.class);
  }

  @Test
  void aBodyThatIsNotAnApiErrorIsDescribedBySizeOnly() {
    LlmException e = failWith(new MockResponse.Builder().code(502)
        .addHeader("content-type", "text/html").body("<html><body>proxy error</body></html>").build(),
        false);
    assertThat(e).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("text/html").hasMessageNotContaining("proxy error");
    LlmException empty = failWith(new MockResponse.Builder().code(503).build(), false);
    assertThat(empty).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("empty body");
  }

  @Test
  void retryAfterIsTakenWhenSent() {
    LlmException e = failWith(new MockResponse.Builder().code(429)
        .addHeader("x-amzn-ErrorType", "ThrottlingException").addHeader("retry-after", "7")
        .body("{\"message\":\"slow down\"}").build(), false);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }
}

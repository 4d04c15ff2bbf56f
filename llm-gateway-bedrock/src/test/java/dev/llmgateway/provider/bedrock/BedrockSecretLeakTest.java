package dev.llmgateway.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.spi.Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever the provider echoes back, no exception shows a secret key, session token or API key. */
class BedrockSecretLeakTest {
  private static final String SECRET = BedrockChatProviderTest.SECRET_KEY;
  private static final String TOKEN = BedrockChatProviderTest.SESSION_TOKEN;
  private static final String KEY = BedrockChatProviderTest.API_KEY;
  private static final String PROMPT = "my confidential prompt text";

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Arguments> echoes() {
    String canonical = "The request signature we calculated does not match the signature you"
        + " provided. Check your AWS Secret Access Key and signing method.\\n\\nThe Canonical String"
        + " for this request should have been\\n'POST\\n/model/m/converse\\n\\nhost:localhost\\n"
        + "x-amz-security-token:" + TOKEN + "\\n'";
    return Stream.of(
        Arguments.of("signature mismatch echoing the canonical request", false,
            http(403, "InvalidSignatureException", canonical)),
        Arguments.of("error echoing the secret and token", false,
            http(400, "ValidationException", "bad: " + SECRET + " / " + TOKEN + " / " + KEY)),
        Arguments.of("error echoing the bearer key", true,
            http(403, "AccessDeniedException", "Invalid API key " + KEY)),
        Arguments.of("mid-stream exception echoing everything", true,
            new MockResponse.Builder().code(200)
                .addHeader("content-type", "application/vnd.amazon.eventstream")
                .body(new Buffer().write(BedrockTestSupport.exception("validationException",
                    "{\"message\":\"" + SECRET + " " + TOKEN + " " + KEY + "\"}"))).build()),
        Arguments.of("non-JSON error", false, new MockResponse.Builder().code(502)
            .body("proxy: " + SECRET + " " + PROMPT).build()));
  }

  private static MockResponse http(int status, String type, String message) {
    return new MockResponse.Builder().code(status).addHeader("x-amzn-ErrorType", type)
        .addHeader("content-type", "application/json")
        .body("{\"message\":\"" + message + "\"}").build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("echoes")
  void noExceptionShowsASecretOrThePrompt(String name, boolean stream, MockResponse response) {
    for (boolean sigV4 : new boolean[] {true, false}) {
      BedrockChatProvider.Builder builder = BedrockChatProvider.builder()
          .baseUrl(server.url("/").toString()).region("us-east-1");
      BedrockChatProvider provider = sigV4
          ? builder.credentials(BedrockChatProviderTest.ACCESS_KEY_ID, Secret.of(SECRET),
              Secret.of(TOKEN)).build()
          : builder.apiKey(KEY).build();
      server.enqueue(response);
      LlmException e = catchThrowableOfType(LlmException.class, () -> {
        var request = BedrockChatProviderTest.simple().toBuilder().messages(List.of()).user(PROMPT)
            .build();
        if (stream) {
          try (ChatStream s = provider.stream(request, CallContext.standalone(true))) {
            s.collect();
          }
        } else {
          provider.chat(request, CallContext.standalone(false));
        }
      });
      assertThat(e).as(name).isNotNull();
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      String text = e.getMessage() + "\n" + e + "\n" + trace + "\n" + provider;
      List<String> secrets = sigV4 ? List.of(SECRET, TOKEN) : List.of(KEY);
      for (String secret : secrets) {
        assertThat(text).as(name + " (sigV4=" + sigV4 + ")").doesNotContain(secret);
      }
      assertThat(text).doesNotContain(PROMPT);
      provider.close();
    }
  }
}

package dev.llmgateway.provider.openai.moderation;

import static dev.llmgateway.provider.MockResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.moderation.ModerationResult;
import dev.llmgateway.moderation.ModerationResult.Verdict;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import dev.llmgateway.spi.Secret;
import java.time.Duration;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OpenAiModerator} against MockWebServer. No recorded moderation payloads exist under the
 * conformance directory, so the bodies below are built from the documented response shape: OpenAI's
 * Python SDK, {@code src/openai/types/moderation_create_response.py} ({@code id}, {@code model},
 * {@code results}) and {@code src/openai/types/moderation.py} (per result: {@code flagged},
 * {@code categories} and {@code category_scores} keyed by names such as {@code harassment/threatening}
 * and {@code self-harm/intent}, and {@code category_applied_input_types}), repository openai/openai-python.
 */
class OpenAiModeratorTest {
  private static final String KEY = "sk-test-MODERATION-KEY-MUST-NOT-LEAK-0123456789";
  private static final String TEXT = "a sentence the model must never see in an exception";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Not flagged: every category false, low scores. */
  static final String CLEAN = """
      {"id": "modr-0d9740456c391e43c445bf0f010940c7", "model": "omni-moderation-latest",
       "results": [{
         "flagged": false,
         "categories": {"harassment": false, "harassment/threatening": false, "hate": false,
           "hate/threatening": false, "illicit": false, "illicit/violent": false, "self-harm": false,
           "self-harm/intent": false, "self-harm/instructions": false, "sexual": false,
           "sexual/minors": false, "violence": false, "violence/graphic": false},
         "category_scores": {"harassment": 0.000023, "harassment/threatening": 0.0000071,
           "hate": 0.0000034, "hate/threatening": 0.0000009, "illicit": 0.0000135,
           "illicit/violent": 0.0000051, "self-harm": 0.0000022, "self-harm/intent": 0.0000011,
           "self-harm/instructions": 0.0000008, "sexual": 0.0000150, "sexual/minors": 0.0000012,
           "violence": 0.0004221, "violence/graphic": 0.0000055},
         "category_applied_input_types": {"harassment": ["text"], "harassment/threatening": ["text"],
           "hate": ["text"], "hate/threatening": ["text"], "illicit": ["text"],
           "illicit/violent": ["text"], "self-harm": ["text"], "self-harm/intent": ["text"],
           "self-harm/instructions": ["text"], "sexual": ["text"], "sexual/minors": ["text"],
           "violence": ["text"], "violence/graphic": ["text"]}
       }]}""";

  /** Flagged for violence and harassment/threatening. */
  static final String FLAGGED = """
      {"id": "modr-970d409ef3bef3b70c73d8232df86e7d", "model": "omni-moderation-latest",
       "results": [{
         "flagged": true,
         "categories": {"harassment": false, "harassment/threatening": true, "hate": false,
           "hate/threatening": false, "illicit": false, "illicit/violent": false, "self-harm": false,
           "self-harm/intent": false, "self-harm/instructions": false, "sexual": false,
           "sexual/minors": false, "violence": true, "violence/graphic": false},
         "category_scores": {"harassment": 0.31, "harassment/threatening": 0.62, "hate": 0.0011,
           "hate/threatening": 0.0004, "illicit": 0.012, "illicit/violent": 0.009, "self-harm": 0.0002,
           "self-harm/intent": 0.0001, "self-harm/instructions": 0.0001, "sexual": 0.0003,
           "sexual/minors": 0.0001, "violence": 0.93, "violence/graphic": 0.04},
         "category_applied_input_types": {"harassment": ["text"], "harassment/threatening": ["text"],
           "hate": ["text"], "hate/threatening": ["text"], "illicit": ["text"],
           "illicit/violent": ["text"], "self-harm": ["text"], "self-harm/intent": ["text"],
           "self-harm/instructions": ["text"], "sexual": ["text"], "sexual/minors": ["text"],
           "violence": ["text"], "violence/graphic": ["text"]}
       }]}""";

  @RegisterExtension final MockServer mock = new MockServer();
  private OpenAiModerator moderator;

  @BeforeEach
  void build() {
    moderator = builder().build();
  }

  @AfterEach
  void close() {
    moderator.close();
  }

  private OpenAiModerator.Builder builder() {
    return OpenAiModerator.builder().baseUrl(mock.server().url("/v1").toString())
        .apiKey(Secret.of(KEY)).httpClient(mock.client());
  }

  @Test
  void builtModeratorHasTheDocumentedDefaults() {
    OpenAiModerator m = OpenAiModerator.builder().apiKey(Secret.of(KEY)).build();
    try (m) {
      assertThat(m.url()).isEqualTo(OpenAiModerator.DEFAULT_BASE_URL + "/moderations")
          .isEqualTo("https://api.openai.com/v1/moderations");
      assertThat(m.model()).isEqualTo(OpenAiModerator.DEFAULT_MODEL).isEqualTo("omni-moderation-latest");
      assertThat(m.flaggedVerdict()).isEqualTo(OpenAiModerator.DEFAULT_FLAGGED_VERDICT)
          .isEqualTo(Verdict.BLOCK);
      assertThat(m.providerName()).isEqualTo(OpenAiModerator.DEFAULT_PROVIDER_NAME).isEqualTo("openai");
      assertThat(m.categoryThresholds()).isEmpty();
      assertThat(m.toString()).doesNotContain(KEY);
    }
  }

  @Test
  void postsTheModelAndInputWithTheKey() throws Exception {
    mock.server().enqueue(json(200, CLEAN));

    moderator.moderate("hello there");

    RecordedRequest sent = mock.server().takeRequest();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/moderations");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = MAPPER.readTree(sent.getBody().utf8());
    assertThat(body.get("model").asText()).isEqualTo("omni-moderation-latest");
    assertThat(body.get("input").asText()).isEqualTo("hello there");
  }

  @Test
  void aCleanTextIsAllowedWithItsScores() {
    mock.server().enqueue(json(200, CLEAN));

    ModerationResult r = moderator.moderate("hello there");

    assertThat(r.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(r.categories()).isEmpty();
    assertThat(r.scores()).hasSize(13).containsEntry("violence", 0.0004221);
    assertThat(r.matchedRule()).isNull();
  }

  @Test
  void aFlaggedTextBlocksWithItsCategoriesMostLikelyFirst() {
    mock.server().enqueue(json(200, FLAGGED));

    ModerationResult r = moderator.moderate("something nasty");

    assertThat(r.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(r.categories()).containsExactly("violence", "harassment/threatening");
    assertThat(r.scores()).containsEntry("violence", 0.93);
    assertThat(r.matchedRule()).isEqualTo("openai/omni-moderation-latest");
  }

  @Test
  void aCategoryThresholdFlagsBelowOpenAisOwnFlag() {
    mock.server().enqueue(json(200, FLAGGED));
    OpenAiModerator strict = builder().categoryThreshold("harassment", 0.3).build();

    assertThat(strict.moderate("x").categories())
        .containsExactly("violence", "harassment/threatening", "harassment");
  }

  @Test
  void aReportOnlyVerdictFlagsInsteadOfBlocking() {
    mock.server().enqueue(json(200, FLAGGED));
    OpenAiModerator reportOnly = builder().flaggedVerdict(Verdict.FLAG).build();

    assertThat(reportOnly.moderate("x").verdict()).isEqualTo(Verdict.FLAG);
    assertThatThrownBy(() -> builder().flaggedVerdict(Verdict.ALLOW))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void aBadKeyIsAnAuthenticationErrorThatShowsNeitherKeyNorText() {
    mock.server().enqueue(json(401, """
        {"error": {"message": "Incorrect API key provided: sk-test-MOD************6789.",
          "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}""",
        "x-request-id", "req_mod_1"));

    AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
        () -> moderator.moderate(TEXT));

    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.requestId()).isEqualTo("req_mod_1");
    assertThat(e.provider()).isEqualTo("openai");
    assertThat(e.model()).isEqualTo("omni-moderation-latest");
    SecretLeakAssertions.assertShowsNone("401", e, KEY, TEXT);
  }

  @Test
  void aRateLimitCarriesItsRetryAfter() {
    mock.server().enqueue(json(429, """
        {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}""",
        "retry-after-ms", "1500"));

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> moderator.moderate(TEXT));

    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void aServerErrorIsUnavailable() {
    mock.server().enqueue(json(503, "{\"error\": {\"message\": \"overloaded\", \"type\": \"server_error\"}}"));

    LlmException e = catchThrowableOfType(ProviderUnavailableException.class, () -> moderator.moderate(TEXT));

    assertThat(e.httpStatus()).isEqualTo(503);
    SecretLeakAssertions.assertShowsNone("503", e, KEY, TEXT);
  }

  @Test
  void aBodyWithoutResultsIsMalformed() {
    mock.server().enqueue(json(200, "{\"id\": \"modr-1\", \"model\": \"omni-moderation-latest\"}"));
    mock.server().enqueue(json(200, "<html>oops</html>"));

    assertThatThrownBy(() -> moderator.moderate(TEXT)).isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("results[0]");
    LlmException e = catchThrowableOfType(MalformedResponseException.class, () -> moderator.moderate(TEXT));
    SecretLeakAssertions.assertShowsNone("malformed", e, KEY, TEXT);
  }

  @Test
  void aCancelledCallIsCancelledNotSent() {
    CallContext context = CallContext.standalone(false);
    context.cancel();

    assertThatThrownBy(() -> moderator.moderate(TEXT, context))
        .isInstanceOf(CallCancelledException.class);
  }

  @Test
  void openAisOwnUrlNeedsAKey() {
    assertThatThrownBy(() -> OpenAiModerator.builder().build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("API key");
    assertThatThrownBy(() -> OpenAiModerator.builder().baseUrl("ftp://example.com").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("baseUrl");
  }
}

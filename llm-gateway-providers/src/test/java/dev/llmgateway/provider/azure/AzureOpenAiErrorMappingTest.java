package dev.llmgateway.provider.azure;

import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.API_KEY;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.APIM_REQUEST_ID;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.PROMPT_FILTERED;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.json;
import static dev.llmgateway.provider.azure.AzureOpenAiTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.provider.MockResponses;
import dev.llmgateway.provider.MockServer;
import dev.llmgateway.provider.SecretLeakAssertions;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AzureOpenAiErrorMappingTest {
  private static final String PROMPT = "PROMPT-TEXT-that-must-not-be-logged";
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

  private LlmException chatFailure(ChatRequest r) {
    return catchThrowableOfType(LlmException.class,
        () -> provider.chat(r, CallContext.standalone(false)));
  }

  @Test
  void aFilteredPromptIsContentFilteredAndNotRetryable() {
    server.enqueue(json(400, PROMPT_FILTERED));
    LlmException e = chatFailure(request());
    assertThat(e).isInstanceOf(ContentFilteredException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.provider()).isEqualTo("azure");
    assertThat(e.model()).isEqualTo(AzureOpenAiTestSupport.DEPLOYMENT);
    assertThat(e.requestId()).isEqualTo(APIM_REQUEST_ID);
    assertThat(e.getMessage()).contains("content_filter", "content management policy");
  }

  @Test
  void theInnerErrorAloneMarksAFilteredPrompt() {
    server.enqueue(json(400, PROMPT_FILTERED.replace("\"code\":\"content_filter\"",
        "\"code\":\"invalid_prompt\"")));
    assertThat(chatFailure(request())).isInstanceOf(ContentFilteredException.class);
  }

  @Test
  void aFilteredStreamedPromptFailsWhenTheStreamOpens() {
    server.enqueue(json(400, PROMPT_FILTERED));
    assertThatThrownBy(() -> provider.stream(request(), CallContext.standalone(true)))
        .isInstanceOf(ContentFilteredException.class);
  }

  @Test
  void filteredOutputFinishesWithContentFilter() {
    server.enqueue(MockResponses.sse("data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"Part\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},"
        + "\"finish_reason\":\"content_filter\",\"content_filter_results\":{\"violence\":"
        + "{\"filtered\":true,\"severity\":\"high\"}}}]}\n\ndata: [DONE]\n\n"));
    ChatResponse r = provider.stream(request(), CallContext.standalone(true)).collect();
    assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(r.rawFinishReason()).isEqualTo("content_filter");
    assertThat(r.text()).isEqualTo("Part");
  }

  @Test
  void aRateLimitPrefersRetryAfterMs() {
    server.enqueue(json(429, "{\"error\":{\"code\":\"429\",\"message\":\"Rate limit is exceeded. "
        + "Try again in 2 seconds.\"}}", "retry-after", "2", "retry-after-ms", "1500"));
    LlmException e = chatFailure(request());
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aRateLimitFallsBackToRetryAfterAndIgnoresUnknownRateLimitValues() {
    server.enqueue(json(429, "{\"error\":{\"code\":\"429\",\"message\":\"Rate limit is exceeded.\"}}",
        "retry-after", "7", "x-ratelimit-remaining-tokens", "-1", "x-ratelimit-reset-tokens", "0"));
    assertThat(chatFailure(request()).retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void rateLimitValuesOfMinusOneAndZeroAreDroppedOthersKept() {
    Headers filtered = AzureOpenAiChatProvider.withoutUnknownRateLimits(Headers.of(
        "x-ratelimit-limit-tokens", "-1", "x-ratelimit-remaining-requests", "0",
        "x-ratelimit-reset-tokens", "0", "x-ratelimit-remaining-tokens", "812",
        "x-ratelimit-reset-requests", "6s", "retry-after", "0", "apim-request-id", "r"));
    assertThat(filtered.names()).containsExactlyInAnyOrder("x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-requests", "retry-after", "apim-request-id");
  }

  @Test
  void theApimRequestIdWinsAndXRequestIdIsTheFallback() {
    server.enqueue(MockResponses.json(400, "{\"error\":{\"message\":\"bad\",\"code\":\"invalid\"}}",
        "x-request-id", "xrid", "apim-request-id", "apim"));
    assertThat(chatFailure(request()).requestId()).isEqualTo("apim");
    server.enqueue(MockResponses.json(400, "{\"error\":{\"message\":\"bad\",\"code\":\"invalid\"}}",
        "x-request-id", "xrid"));
    assertThat(chatFailure(request()).requestId()).isEqualTo("xrid");
  }

  @Test
  void aContextOverflowIsContextLengthExceeded() {
    server.enqueue(json(400, "{\"error\":{\"message\":\"This model's maximum context length is 128000 "
        + "tokens. However, your messages resulted in 130000 tokens.\",\"type\":\"invalid_request_error\","
        + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));
    assertThat(chatFailure(request())).isInstanceOf(ContextLengthExceededException.class);
  }

  @Test
  void aCutOffStreamIsInterrupted() {
    server.enqueue(MockResponses.sse("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\","
        + "\"object\":\"\",\"prompt_filter_results\":[]}\n\n"
        + "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"del",
        "apim-request-id", APIM_REQUEST_ID));
    ChatStream stream = provider.stream(request(), CallContext.standalone(true));
    assertThat(stream.next()).isEqualTo(new ChatChunk.Start("c1", "gpt-4o", "azure", APIM_REQUEST_ID));
    assertThat(stream.next()).isEqualTo(new ChatChunk.TextDelta("Hel"));
    assertThatThrownBy(stream::next).isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
      assertThat(e.provider()).isEqualTo("azure");
      assertThat(e.requestId()).isEqualTo(APIM_REQUEST_ID);
    });
    stream.close();
  }

  @Test
  void aFailingTokenSupplierIsAnAuthenticationErrorWithoutDetails() {
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder()
        .endpoint(server.url("/").toString())
        .tokenSupplier(() -> {
          throw new IllegalStateException("credential cache at /home/u/.azure says " + API_KEY);
        })
        .httpClient(client)
        .build();
    LlmException e = catchThrowableOfType(LlmException.class,
        () -> p.chat(request(), CallContext.standalone(false)));
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.getMessage()).contains("token supplier", "IllegalStateException");
    SecretLeakAssertions.assertShowsNone("token supplier failure", e, API_KEY, "/home/u");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aBlankTokenIsAnAuthenticationError() {
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder()
        .endpoint(server.url("/").toString()).tokenSupplier(() -> " ").httpClient(client).build();
    assertThatThrownBy(() -> p.chat(request(), CallContext.standalone(false)))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("no token");
  }

  @Test
  void neitherTheKeyNorTheTokenNorThePromptAppearsInErrors() {
    String token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-token-body.signature";
    AzureOpenAiChatProvider p = AzureOpenAiChatProvider.builder()
        .endpoint(server.url("/").toString()).tokenSupplier(() -> token).httpClient(client).build();
    ChatRequest r = ChatRequest.builder().model("d").user(PROMPT).build();
    server.enqueue(json(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied for token "
        + token + "\"}}"));
    LlmException denied = catchThrowableOfType(LlmException.class,
        () -> p.chat(r, CallContext.standalone(false)));
    assertThat(denied).isInstanceOf(AuthenticationException.class);
    SecretLeakAssertions.assertShowsNone("401 echoing the token", denied, token, PROMPT);

    server.enqueue(json(400, "{\"error\":{\"code\":\"invalid\",\"message\":\"key " + API_KEY
        + " is not valid here\"}}"));
    SecretLeakAssertions.assertShowsNone("400 echoing the key", chatFailure(r), API_KEY, PROMPT);
    server.enqueue(MockResponses.sse("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"content\":\"x\"}}]}\n\n"));
    SecretLeakAssertions.assertShowsNone("cut-off stream", catchThrowableOfType(LlmException.class,
        () -> provider.stream(r, CallContext.standalone(true)).collect()), API_KEY, PROMPT);
  }
}

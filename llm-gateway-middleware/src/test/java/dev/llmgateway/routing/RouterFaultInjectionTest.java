package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.llmgateway.testkit.ManualClock;

/**
 * Faults injected with {@link FakeLlmServer}, seen through the real OpenAI adapter: two providers,
 * {@code east} and {@code west}, each with its own server, serve group {@code chat} in that order; group
 * {@code chat-long} ({@code west/gpt-4.1}) takes requests that do not fit, {@code chat-lenient} requests a
 * filter refused. For each fault: the deployments tried, the requests each server got, the outcome.
 */
class RouterFaultInjectionTest {
  private static final String FILTERED = "{\"error\":{\"message\":\"The response was filtered due to the"
      + " prompt triggering content management policy.\",\"type\":\"invalid_request_error\",\"param\":"
      + "\"prompt\",\"code\":\"content_filter\"}}";

  private final ManualClock clock = new ManualClock();
  private final RecordingListener events = new RecordingListener();
  private FakeLlmServer east;
  private FakeLlmServer west;
  private OpenAiChatProvider eastProvider;
  private OpenAiChatProvider westProvider;
  private RouterInterceptor router;
  private LlmGateway gateway;

  @BeforeEach
  void start() {
    east = FakeLlmServer.start();
    west = FakeLlmServer.start();
    eastProvider = OpenAiChatProvider.builder().providerName("east").baseUrl(east.baseUrl())
        .apiKey(Secret.of("sk-east")).build();
    westProvider = OpenAiChatProvider.builder().providerName("west").baseUrl(west.baseUrl())
        .apiKey(Secret.of("sk-west")).build();
    router = RouterInterceptor.builder().clock(clock).modelCatalog(ModelCatalog.empty())
        .group(ModelGroup.builder("chat").strategy(FirstAvailableStrategy.INSTANCE)
            .deployment(Deployment.of("east", "east/gpt-4o-mini"))
            .deployment(Deployment.of("west", "west/gpt-4o-mini"))
            .contextLengthFallbacks("chat-long").contentFilterFallbacks("chat-lenient").build())
        .group(ModelGroup.builder("chat-long").deployment(Deployment.of("west-long", "west/gpt-4.1")).build())
        .group(ModelGroup.builder("chat-lenient").deployment(Deployment.of("west-lenient", "west/lenient"))
            .build())
        .build();
    gateway = LlmGateway.builder().discoverProviders(false).logging(false).addListener(events)
        .provider(eastProvider).provider(westProvider).addInterceptor(router).build();
  }

  @AfterEach
  void stop() {
    gateway.close();
    eastProvider.close();
    westProvider.close();
    east.close();
    west.close();
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("chat").user("hello").build();
  }

  private List<String> attempts() {
    CallContext context = events.ended.get(events.ended.size() - 1);
    return context.get(RouterInterceptor.ATTEMPTS).attempts().stream()
        .map(t -> t.deploymentId() + ":" + (t.succeeded() ? "ok" : simpleName(t.errorType()))).toList();
  }

  private static String simpleName(String className) {
    return className == null ? "closed" : className.substring(className.lastIndexOf('.') + 1);
  }

  private static List<ChatChunk> drain(ChatStream stream, List<ChatChunk> into) {
    try (stream) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        into.add(c);
      }
    }
    return into;
  }

  private static String text(List<ChatChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.stream().filter(ChatChunk.TextDelta.class::isInstance)
        .forEach(c -> sb.append(((ChatChunk.TextDelta) c).text()));
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 529})
  void aServerErrorFallsOverToTheNextDeployment(int status) {
    east.enqueue(status == 529 ? FakeReply.error(529, "{\"error\":{\"message\":\"Overloaded\"}}")
        : FakeReply.serverError(status));
    west.enqueue(FakeReply.text("from west"));

    ChatResponse response = gateway.chat(ask());

    assertThat(response.text()).isEqualTo("from west");
    assertThat(response.provider()).isEqualTo("west");
    assertThat(attempts()).containsExactly("east:ProviderUnavailableException", "west:ok");
    assertThat(east.requestCount()).isEqualTo(1);
    assertThat(west.requestCount()).isEqualTo(1);
    assertThat(west.takeRequest().model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void aRateLimitWithRetryAfterCoolsTheDeploymentDownUntilItPasses() {
    east.enqueue(FakeReply.rateLimited(Duration.ofSeconds(7)));

    assertThat(gateway.chat(ask()).provider()).isEqualTo("west");
    assertThat(attempts()).containsExactly("east:RateLimitedException", "west:ok");
    assertThat(router.health().retryAfter("east", clock.instant())).isEqualTo(Duration.ofSeconds(7));

    clock.advance(Duration.ofSeconds(6));
    assertThat(gateway.chat(ask()).provider()).isEqualTo("west");
    assertThat(attempts()).containsExactly("west:ok");
    assertThat(east.requestCount()).as("no call to a deployment cooling down").isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(gateway.chat(ask()).provider()).isEqualTo("east");
    assertThat(east.requestCount()).isEqualTo(2);
    assertThat(west.requestCount()).isEqualTo(2);
  }

  @Test
  void bothDeploymentsRateLimitedFailsNowAndTheNextCallWithoutARequest() {
    east.enqueue(FakeReply.rateLimited(Duration.ofSeconds(30)));
    west.enqueue(FakeReply.rateLimited(Duration.ofSeconds(3)));

    assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOfSatisfying(NoDeploymentAvailableException.class, e -> {
      assertThat(e.attempts()).extracting(LlmException::httpStatus).containsExactly(429, 429);
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    });
    assertThatThrownBy(() -> gateway.stream(ask())).isInstanceOfSatisfying(NoDeploymentAvailableException.class,
        e -> assertThat(e.attemptLog()).isEmpty());
    assertThat(east.requestCount() + west.requestCount()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(3));
    assertThat(gateway.chat(ask()).provider()).isEqualTo("west");
  }

  @Test
  void aConnectionResetFallsOver() {
    east.enqueue(FakeReply.connectionReset());

    assertThat(gateway.chat(ask()).provider()).isEqualTo("west");
    assertThat(attempts()).containsExactly("east:ProviderUnavailableException", "west:ok");
    assertThat(east.requestCount()).isEqualTo(1);
  }

  @Test
  void malformedJsonFallsOver() {
    east.enqueue(FakeReply.malformedJson());

    assertThat(gateway.chat(ask()).provider()).isEqualTo("west");
    assertThat(attempts()).containsExactly("east:MalformedResponseException", "west:ok");
  }

  @Test
  void aStreamWithMalformedJsonBeforeItsFirstTextFallsOverTransparently() {
    east.enqueue(FakeReply.malformedJson());
    west.enqueue(FakeReply.text("all good"));

    List<ChatChunk> chunks = drain(gateway.stream(ask()), new ArrayList<>());

    assertThat(text(chunks)).isEqualTo("all good");
    assertThat(chunks.get(0)).isInstanceOfSatisfying(ChatChunk.Start.class,
        s -> assertThat(s.provider()).isEqualTo("west"));
    assertThat(attempts()).containsExactly("east:MalformedResponseException", "west:ok");
  }

  @Test
  void aStreamCutBeforeItsFirstTextFallsOverTransparently() {
    east.enqueue(FakeReply.disconnectAfterChunks(1)); // the role chunk, then the connection drops
    west.enqueue(FakeReply.text("all good"));

    assertThat(text(drain(gateway.stream(ask()), new ArrayList<>()))).isEqualTo("all good");
    assertThat(attempts()).containsExactly("east:StreamInterruptedException", "west:ok");
  }

  @Test
  void aStreamCutAfterItsFirstTextReachesTheCaller() {
    east.enqueue(FakeReply.builder().text("one two three four").disconnectAfterChunks(3).build());
    List<ChatChunk> received = new ArrayList<>();

    assertThatThrownBy(() -> drain(gateway.stream(ask()), received))
        .isInstanceOf(StreamInterruptedException.class);

    assertThat(text(received)).isEqualTo("one two");
    assertThat(west.requestCount()).as("no second answer spliced in").isZero();
    assertThat(attempts()).containsExactly("east:StreamInterruptedException");
  }

  @Test
  void anInvalidRequestFailsWithoutFallingOver() {
    east.enqueue(FakeReply.invalidRequest("'temperature' is out of range"));

    assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOf(InvalidRequestException.class)
        .isNotInstanceOf(ContextLengthExceededException.class);
    assertThat(west.requestCount()).isZero();
    assertThat(attempts()).containsExactly("east:InvalidRequestException");
  }

  @Test
  void aRejectedKeyOfOneDeploymentFallsOverToAnother() {
    east.enqueue(FakeReply.invalidApiKey());

    assertThat(gateway.chat(ask()).provider()).isEqualTo("west");
    assertThat(attempts()).containsExactly("east:AuthenticationException", "west:ok");
  }

  @Test
  void aContextLengthErrorGoesToTheLargerContextGroup() {
    east.enqueue(FakeReply.contextLengthExceeded());
    west.enqueue(FakeReply.contextLengthExceeded(), FakeReply.text("long answer"));

    ChatResponse response = gateway.chat(ask());

    assertThat(response.text()).isEqualTo("long answer");
    assertThat(attempts()).containsExactly("east:ContextLengthExceededException",
        "west:ContextLengthExceededException", "west-long:ok");
    west.takeRequest();
    assertThat(west.takeRequest().model()).isEqualTo("gpt-4.1");
    assertThat(events.fallbacks).containsExactly("chat->chat-long (ContextLengthExceededException)");
  }

  @Test
  void aContentFilterRefusalGoesToTheContentFilterGroup() {
    east.enqueue(FakeReply.error(400, FILTERED));
    west.enqueue(FakeReply.error(400, FILTERED), FakeReply.text("lenient answer"));

    assertThat(gateway.chat(ask()).text()).isEqualTo("lenient answer");
    assertThat(attempts()).containsExactly("east:ContentFilteredException",
        "west:ContentFilteredException", "west-lenient:ok");
    assertThat(events.fallbacks).containsExactly("chat->chat-lenient (ContentFilteredException)");
  }

  @Test
  void whenEveryDeploymentFailsTheCallerSeesEachFailure() {
    east.enqueue(FakeReply.serverError(503));
    west.enqueue(FakeReply.connectionReset());

    assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOfSatisfying(NoDeploymentAvailableException.class, e -> {
      assertThat(e.attempts()).hasSize(2);
      assertThat(e.attempts().get(0)).isInstanceOf(ProviderUnavailableException.class)
          .satisfies(x -> assertThat(((LlmException) x).httpStatus()).isEqualTo(503));
      assertThat(e.attempts().get(1)).isInstanceOf(ProviderUnavailableException.class);
      assertThat(e.attemptLog()).extracting(Attempt::target)
          .containsExactly("east/gpt-4o-mini", "west/gpt-4o-mini");
      assertThat(e.isRetryable()).isTrue();
    });
    assertThat(east.requestCount() + west.requestCount()).isEqualTo(2);
    assertThat(events.fallbacks).isEmpty(); // chat has no general fallbacks
  }
}

package dev.llmgateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Interceptor;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.FirstAvailableStrategy;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.BufferedSink;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hedging through the router and the real OpenAI adapter: a slow deployment is hedged to a fast one, the
 * faster answer is returned, and the slow call's connection is closed. The slow server is a MockWebServer
 * whose body notices the disconnect (FakeLlmServer has no hook for that); the fast one is a
 * FakeLlmServer. The hedge delay fires through a manual scheduler once the slow server has the request.
 */
class HedgingOverHttpTest {
  private static final int WAIT_SECONDS = 10;
  private static final Duration DELAY = Duration.ofMillis(300);
  private static final String ECHO = FakeReply.DEFAULT_ECHO_PREFIX + "hello";

  private final ManualScheduler scheduler = new ManualScheduler();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch teardown = new CountDownLatch(1);
  private final AtomicReference<CallContext> lastCall = new AtomicReference<>();
  private MockWebServer slow;
  private FakeLlmServer fast;
  private FakeLlmServer slowFake;
  private LlmGateway gateway;

  @BeforeEach
  void start() throws IOException {
    slow = new MockWebServer();
    slow.start();
    fast = FakeLlmServer.start();
    slowFake = FakeLlmServer.start();
  }

  @AfterEach
  void stop() {
    teardown.countDown();
    if (gateway != null) {
      gateway.close();
    }
    executor.shutdownNow();
    slow.close();
    fast.close();
    slowFake.close();
  }

  private static ChatProvider provider(String name, String baseUrl) {
    return OpenAiChatProvider.builder().providerName(name).baseUrl(baseUrl).apiKey(Secret.of("sk-" + name))
        .build();
  }

  /**
   * Hedging, then a router over "slow" and "fast" that prefers "slow" but sends a call's concurrent
   * attempts to different deployments, then the providers.
   */
  private LlmGateway gateway(String slowBaseUrl) {
    Interceptor hedging = HedgingInterceptor.builder(executor, scheduler)
        .group("chat", HedgePolicy.fixed(DELAY)).build();
    RouterInterceptor router = RouterInterceptor.builder()
        .group(ModelGroup.builder("chat")
            .deployment(Deployment.of("slow", "slow/gpt-4o-mini"))
            .deployment(Deployment.of("fast", "fast/gpt-4o-mini"))
            .strategy(new HedgeAwareStrategy(FirstAvailableStrategy.INSTANCE)).build())
        .build();
    gateway = LlmGateway.builder().discoverProviders(false).logging(false)
        .provider(provider("slow", slowBaseUrl)).provider(provider("fast", fast.baseUrl()))
        .addListener(new ChatEventListener() {
          @Override
          public void onCallStart(CallContext context, ChatRequest request) {
            lastCall.set(context);
          }
        })
        .addInterceptor(hedging).addInterceptor(router).build();
    return gateway;
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().model("chat").user("hello").build();
  }

  /**
   * A 200 whose body starts, signals {@code started}, then (once the test lets it) writes until the
   * client's disconnect makes a write fail, which it signals with {@code sawClose}.
   */
  private MockResponse hangingBody(CountDownLatch started, CountDownLatch proceed, CountDownLatch sawClose) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(new MockResponseBody() {
          @Override
          public long getContentLength() {
            return -1;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            sink.writeUtf8("{\"id\":\"chatcmpl-slow\",").flush();
            started.countDown();
            try {
              if (!proceed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return;
              }
              String filler = " ".repeat(8192);
              for (int i = 0; i < 10_000; i++) { // bounded; the disconnect fails a write long before
                sink.writeUtf8(filler).flush();
              }
            } catch (IOException e) {
              sawClose.countDown();
              throw e;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }).build();
  }

  @Test
  void aHedgedRequestReturnsTheFasterAnswerAndClosesTheSlowerCall() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch answered = new CountDownLatch(1);
    CountDownLatch sawClose = new CountDownLatch(1);
    slow.enqueue(hangingBody(started, answered, sawClose));
    gateway(slow.url("/v1").toString());

    CompletableFuture<ChatResponse> call = gateway.chatAsync(ask());
    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the slow server has the request").isTrue();
    scheduler.pendingWithDelay(DELAY).fire();

    ChatResponse response = call.get(WAIT_SECONDS, TimeUnit.SECONDS);
    answered.countDown();
    assertThat(response.provider()).isEqualTo("fast");
    assertThat(response.text()).isEqualTo(ECHO);
    assertThat(sawClose.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the slow server saw the client close the connection").isTrue();
    assertThat(slow.getRequestCount()).isEqualTo(1);
    assertThat(fast.requestCount()).isEqualTo(1);
    Awaitility.await().untilAsserted(() -> assertThat(lastCall.get().get(RouterInterceptor.ATTEMPTS)
        .attempts()).extracting(a -> a.deploymentId() + " " + a.outcome())
        .containsExactlyInAnyOrder("slow FAILED", "fast SUCCEEDED"));
    Attempt slowAttempt = lastCall.get().get(RouterInterceptor.ATTEMPTS).attempts().stream()
        .filter(a -> a.deploymentId().equals("slow")).findFirst().orElseThrow();
    assertThat(slowAttempt.errorType()).isEqualTo(dev.llmgateway.error.CallCancelledException.class.getName());
  }

  @Test
  void aHedgedStreamReturnsTheFasterStream() throws Exception {
    slowFake.enqueue(FakeReply.slowFirstByte(Duration.ofMinutes(5)));
    gateway(slowFake.baseUrl());

    CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> gateway.stream(ask()).collect());
    slowFake.takeRequest();
    scheduler.pendingWithDelay(DELAY).fire();

    ChatResponse response = call.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(response.text()).isEqualTo(ECHO);
    assertThat(response.provider()).isEqualTo("fast");
    assertThat(slowFake.requestCount()).isEqualTo(1);
    assertThat(fast.requestCount()).isEqualTo(1);
  }
}

package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.Usage;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LlmGatewayCallLifecycleTest {

  private static ChatRequest ask(String text) {
    return ChatRequest.builder().model("p/m").user(text).build();
  }

  /** Records event names; for the end events also the outcome. */
  private static final class EventLog implements ChatEventListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onCallStart(CallContext context, ChatRequest request) {
      events.add("start");
    }

    @Override
    public void onAttempt(CallContext context, String provider, String model, int attempt) {
      events.add("attempt " + provider + "/" + model + " #" + attempt);
    }

    @Override
    public void onFirstChunk(CallContext context, Duration sinceStart) {
      events.add("firstChunk");
    }

    @Override
    public void onUsage(CallContext context, Usage usage) {
      events.add("usage " + usage.inputTokens() + "/" + usage.outputTokens());
    }

    @Override
    public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
      events.add("end");
      ended.countDown();
    }

    @Override
    public void onCallFailed(CallContext context, LlmException error, Duration elapsed) {
      events.add("failed " + error.getClass().getSimpleName());
      ended.countDown();
    }
  }

  @Test
  void listenerSeesStartAttemptUsageAndEndOfABlockingCall() {
    EventLog log = new EventLog();
    try (LlmGateway gateway = LlmGateway.builder().provider(new ScriptedProvider("p"))
        .logging(false).addListener(log).build()) {
      gateway.chat(ask("hi"));
    }
    assertThat(log.events).containsExactly("start", "attempt p/m #1", "usage 3/2", "end");
  }

  @Test
  void listenerSeesFirstChunkAndEndOfAStreamOnlyWhenItIsConsumed() {
    EventLog log = new EventLog();
    try (LlmGateway gateway = LlmGateway.builder().provider(new ScriptedProvider("p"))
        .logging(false).addListener(log).build()) {
      ChatStream stream = gateway.stream(ask("hi"));
      assertThat(log.events).containsExactly("start", "attempt p/m #1");
      stream.collect();
    }
    assertThat(log.events).containsExactly("start", "attempt p/m #1", "firstChunk", "usage 3/2", "end");
  }

  @Test
  void listenerSeesAFailedCall() {
    EventLog log = new EventLog();
    ScriptedProvider provider = new ScriptedProvider("p");
    provider.answer = (r, c) -> {
      throw new ProviderUnavailableException("down");
    };
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false).addListener(log)
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ask("hi"))).isInstanceOf(ProviderUnavailableException.class);
    }
    assertThat(log.events).containsExactly("start", "attempt p/m #1", "failed ProviderUnavailableException");
  }

  @Test
  void aThrowingListenerNeverBreaksTheCall() {
    ChatEventListener broken = new ChatEventListener() {
      @Override
      public void onCallStart(CallContext context, ChatRequest request) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
        throw new IllegalStateException("listener bug");
      }
    };
    EventLog after = new EventLog();
    try (LlmGateway gateway = LlmGateway.builder().provider(new ScriptedProvider("p"))
        .logging(false).addListener(broken).addListener(after).build()) {
      assertThat(gateway.chat(ask("still works")).text()).isEqualTo("echo: still works");
    }
    assertThat(after.events).contains("start", "end");
  }

  @Test
  void closingAStreamEarlyClosesTheProviderStreamAndReportsIt() {
    EventLog log = new EventLog();
    ScriptedProvider provider = new ScriptedProvider("p");
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false).addListener(log)
        .build()) {
      ChatStream stream = gateway.stream(ask("hi"));
      assertThat(stream.next()).isInstanceOf(ChatChunk.Start.class);
      stream.close();
      stream.close(); // idempotent
    }
    assertThat(provider.streamsClosed).hasValueGreaterThanOrEqualTo(1);
    assertThat(log.events).endsWith("failed CallCancelledException");
    assertThat(log.events.stream().filter(e -> e.startsWith("failed"))).hasSize(1);
  }

  /** A provider that blocks until its call is cancelled, the way an HTTP call hangs on a slow server. */
  private static ScriptedProvider hangingProvider(CountDownLatch entered, CountDownLatch cancelled) {
    ScriptedProvider provider = new ScriptedProvider("p");
    provider.answer = (request, context) -> {
      CountDownLatch released = new CountDownLatch(1);
      context.onCancel(() -> {
        cancelled.countDown();
        released.countDown();
      });
      entered.countDown();
      try {
        if (!released.await(30, TimeUnit.SECONDS)) {
          throw new AssertionError("never cancelled");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new CallCancelledException("cancelled while waiting for the provider");
    };
    return provider;
  }

  @Test
  void cancellingTheFutureCancelsTheProviderCall() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    EventLog log = new EventLog();
    try (LlmGateway gateway = LlmGateway.builder().provider(hangingProvider(entered, cancelled))
        .logging(false).addListener(log).build()) {
      CompletableFuture<ChatResponse> future = gateway.chatAsync(ask("slow"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      future.cancel(true);
      assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(future).isCancelled();
      assertThat(log.ended.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(log.events).contains("failed CallCancelledException");
  }

  @Test
  void timeoutCancelsTheCallAndReportsATimeout() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    try (LlmGateway gateway = LlmGateway.builder().provider(hangingProvider(entered, cancelled))
        .logging(false).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("slow"), CallOptions.withTimeout(Duration.ofMillis(50))))
          .isInstanceOf(LlmTimeoutException.class)
          .hasMessageContaining("timeout of PT0.05S");
    }
    assertThat(cancelled.getCount()).isZero();
  }

  @Test
  void asyncCallCompletesWithTheAnswer() throws Exception {
    try (LlmGateway gateway = LlmGateway.builder().provider(new ScriptedProvider("p")).logging(false)
        .build()) {
      assertThat(gateway.chatAsync(ask("later")).get(10, TimeUnit.SECONDS).text())
          .isEqualTo("echo: later");
    }
  }

  @Test
  void asyncFailureCompletesTheFutureExceptionally() {
    ScriptedProvider provider = new ScriptedProvider("p");
    provider.answer = (r, c) -> {
      throw new ProviderUnavailableException("down");
    };
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false).build()) {
      CompletableFuture<ChatResponse> future = gateway.chatAsync(ask("x"));
      assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ProviderUnavailableException.class);
    }
  }

  @Test
  void callbackStreamDeliversEveryChunkThenTheAssembledResponse() throws Exception {
    List<String> texts = new CopyOnWriteArrayList<>();
    CountDownLatch completed = new CountDownLatch(1);
    try (LlmGateway gateway = LlmGateway.builder().provider(new ScriptedProvider("p")).logging(false)
        .build()) {
      CompletableFuture<ChatResponse> future = gateway.stream(ask("pushed"), new StreamHandler() {
        @Override
        public void onChunk(ChatChunk chunk) {
          if (chunk instanceof ChatChunk.TextDelta t) {
            texts.add(t.text());
          }
        }

        @Override
        public void onComplete(ChatResponse response) {
          completed.countDown();
        }
      });
      ChatResponse response = future.get(10, TimeUnit.SECONDS);
      assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(String.join("", texts)).isEqualTo("echo: pushed").isEqualTo(response.text());
    }
  }

  @Test
  void cancellingACallbackStreamStopsIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    try (LlmGateway gateway = LlmGateway.builder().provider(hangingProvider(entered, cancelled))
        .logging(false).build()) {
      CompletableFuture<ChatResponse> future = gateway.stream(ask("x"), StreamHandler.onText(t -> {}));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      future.cancel(true);
      assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }
  }

  @Test
  void manyThreadsShareOneGatewaySafely() throws Exception {
    ScriptedProvider provider = new ScriptedProvider("p");
    int threads = 16;
    int callsPerThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (LlmGateway gateway = LlmGateway.builder().provider(provider).logging(false)
        .addRequestInterceptor((r, c) -> r).build()) {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          List<String> answers = new ArrayList<>();
          for (int i = 0; i < callsPerThread; i++) {
            String text = thread + "-" + i;
            answers.add(i % 2 == 0 ? gateway.chat(ask(text)).text() : gateway.stream(ask(text)).collect().text());
          }
          return answers;
        }));
      }
      for (int t = 0; t < threads; t++) {
        List<String> answers = results.get(t).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < callsPerThread; i++) {
          assertThat(answers.get(i)).isEqualTo("echo: " + t + "-" + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(provider.received).hasSize(threads * callsPerThread);
  }

  @Test
  void aClosedGatewayRefusesCalls() {
    LlmGateway gateway = LlmGateway.builder().provider(new ScriptedProvider("p")).logging(false).build();
    gateway.close();
    gateway.close();
    assertThatThrownBy(() -> gateway.chat(ask("x"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}

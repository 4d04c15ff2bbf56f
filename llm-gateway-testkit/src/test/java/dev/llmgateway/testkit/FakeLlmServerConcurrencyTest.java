package dev.llmgateway.testkit;

import static dev.llmgateway.testkit.RawOpenAiClient.chatBody;
import static dev.llmgateway.testkit.RawOpenAiClient.streamBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeLlmServerConcurrencyTest {

  private static final int CALLS = 20;

  private final FakeLlmServer server = FakeLlmServer.start();
  private final RawOpenAiClient client = new RawOpenAiClient(server);
  private final ExecutorService threads = Executors.newFixedThreadPool(CALLS);

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    client.close();
    server.close();
  }

  @Test
  void answersTwentyParallelRequests() throws Exception {
    List<JsonNode> answers = inParallel(i -> client.chat(chatBody("gpt-4o", "message " + i)));

    for (int i = 0; i < CALLS; i++) {
      assertThat(answers.get(i).at("/choices/0/message/content").asText())
          .isEqualTo("Hello from FakeLlmServer. You said: message " + i);
    }
    assertThat(answers).extracting(answer -> answer.get("id").asText()).doesNotHaveDuplicates();
    assertThat(server.requestCount()).isEqualTo(CALLS);
    assertThat(server.requests()).extracting(CapturedRequest::sequence)
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, CALLS).asLongStream().boxed().toList());
  }

  @Test
  void eachScriptedReplyIsTakenExactlyOnceUnderConcurrency() throws Exception {
    List<String> scripted = IntStream.range(0, CALLS).mapToObj(i -> "scripted " + i).toList();
    scripted.forEach(text -> server.enqueue(FakeReply.text(text)));

    List<String> answers = inParallel(i -> client.ask("Hi"));

    assertThat(answers).containsExactlyInAnyOrderElementsOf(scripted);
    assertThat(server.pendingReplies()).isZero();
  }

  @Test
  void parallelStreamsWithChunkDelaysAllComplete() throws Exception {
    FakeReply slowStream = FakeReply.builder().text("a b c d e").chunkDelay(Duration.ofMillis(2)).build();
    for (int i = 0; i < CALLS; i++) {
      server.enqueue(slowStream);
    }

    List<List<String>> streams = inParallel(i -> streamData(streamBody("gpt-4o", "Hi", true)));

    assertThat(streams).allSatisfy(data -> assertThat(data).hasSize(9).last().isEqualTo("[DONE]"));
  }

  @Test
  void aDelayedReplyDoesNotHoldUpOtherConnections() throws Exception {
    server.enqueue(FakeReply.slowFirstByte(Duration.ofHours(1)));
    CompletableFuture<String> stuck = CompletableFuture.supplyAsync(() -> client.ask("stuck"), threads);
    assertThat(server.takeRequest().lastUserMessage()).isEqualTo("stuck");

    List<String> answers = inParallel(i -> client.ask("free " + i));

    assertThat(answers).hasSize(CALLS).allSatisfy(answer -> assertThat(answer).contains("free"));
    assertThat(stuck).isNotDone();
    server.close();
    assertThatThrownBy(() -> stuck.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
  }

  /** Runs {@code call} for 0 to {@link #CALLS} - 1 at once, all released together; results in index order. */
  private <T> List<T> inParallel(IndexedCall<T> call) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      int index = i;
      Callable<T> task = () -> {
        go.await();
        return call.run(index);
      };
      futures.add(threads.submit(task));
    }
    go.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  private List<String> streamData(JsonNode body) {
    try {
      return client.streamData(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FunctionalInterface
  private interface IndexedCall<T> {
    T run(int index) throws Exception;
  }
}

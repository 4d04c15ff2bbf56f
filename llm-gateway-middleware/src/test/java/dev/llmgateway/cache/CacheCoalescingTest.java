package dev.llmgateway.cache;

import dev.llmgateway.CacheInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.error.ProviderUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CacheCoalescingTest {
  private static final int CALLERS = 10;
  private final Upstream upstream = new Upstream();
  private final CacheInterceptor cache = CacheInterceptor.create();
  private final ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void shutDown() {
    release.countDown();
    pool.shutdownNow();
  }

  /** Upstream answers only once the test releases it. */
  private void holdUpstream(boolean firstCallFails) {
    AtomicBoolean failed = new AtomicBoolean(!firstCallFails);
    upstream.answer = request -> {
      try {
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      if (failed.compareAndSet(false, true)) {
        throw new ProviderUnavailableException("the first call fails");
      }
      return Upstream.text("shared answer");
    };
  }

  private List<Future<ChatResponse>> startCallers(List<CallContext> contexts) {
    List<Future<ChatResponse>> answers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      CallContext context = upstream.context(false);
      contexts.add(context);
      answers.add(pool.submit(() -> upstream.call(cache, Upstream.request("fox?"), context)));
    }
    return answers;
  }

  @Test
  void tenConcurrentIdenticalMissesMakeOneUpstreamCall() throws Exception {
    holdUpstream(false);
    List<CallContext> contexts = new ArrayList<>();
    List<Future<ChatResponse>> answers = startCallers(contexts);

    await().atMost(Duration.ofSeconds(10))
        .until(() -> upstream.calls.get() == 1 && cache.coalescedWaiting() == CALLERS - 1);
    release.countDown();

    for (Future<ChatResponse> answer : answers) {
      assertThat(answer.get(10, TimeUnit.SECONDS).text()).isEqualTo("shared answer");
    }
    assertThat(upstream.calls).hasValue(1);
    assertThat(contexts).extracting(c -> c.get(CacheInterceptor.CACHE_STATUS).source())
        .containsOnly(null, CacheInfo.Source.COALESCED)
        .filteredOn(s -> s == CacheInfo.Source.COALESCED).hasSize(CALLERS - 1);
    assertThat(upstream.cacheHits).hasValue(CALLERS - 1);
  }

  @Test
  void whenTheLeaderFailsTheFollowersElectANewOne() throws Exception {
    holdUpstream(true);
    List<Future<ChatResponse>> answers = startCallers(new ArrayList<>());

    await().atMost(Duration.ofSeconds(10))
        .until(() -> upstream.calls.get() == 1 && cache.coalescedWaiting() == CALLERS - 1);
    release.countDown();

    int failures = 0;
    for (Future<ChatResponse> answer : answers) {
      try {
        assertThat(answer.get(10, TimeUnit.SECONDS).text()).isEqualTo("shared answer");
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ProviderUnavailableException.class);
        failures++;
      }
    }
    assertThat(failures).as("only the failed leader's own caller sees its error").isEqualTo(1);
    assertThat(upstream.calls).as("one failed call, one successful").hasValue(2);
  }

  @Test
  void aStreamingCallWaitsForABlockingLeaderAndReplaysItsAnswer() throws Exception {
    holdUpstream(false);
    Future<ChatResponse> leader = pool.submit(() -> upstream.call(cache, Upstream.request("fox?")));
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.calls.get() == 1);
    CallContext streaming = upstream.context(true);
    Future<ChatResponse> follower = pool.submit(
        () -> upstream.stream(cache, Upstream.request("fox?"), streaming).collect());
    await().atMost(Duration.ofSeconds(10)).until(() -> cache.coalescedWaiting() == 1);
    release.countDown();

    assertThat(follower.get(10, TimeUnit.SECONDS).text()).isEqualTo("shared answer");
    assertThat(leader.get(10, TimeUnit.SECONDS).text()).isEqualTo("shared answer");
    assertThat(upstream.calls).hasValue(1);
    assertThat(streaming.get(CacheInterceptor.CACHE_STATUS).source())
        .isEqualTo(CacheInfo.Source.COALESCED);
  }

  @Test
  void aCancelledFollowerStopsWaiting() throws Exception {
    holdUpstream(false);
    pool.submit(() -> upstream.call(cache, Upstream.request("fox?")));
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.calls.get() == 1);
    CallContext follower = upstream.context(false);
    Future<ChatResponse> waiting = pool.submit(() -> upstream.call(cache, Upstream.request("fox?"), follower));
    await().atMost(Duration.ofSeconds(10)).until(() -> cache.coalescedWaiting() == 1);
    follower.cancel();
    try {
      waiting.get(10, TimeUnit.SECONDS);
      org.assertj.core.api.Assertions.fail("expected a cancellation");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(dev.llmgateway.error.CallCancelledException.class);
    }
  }

  @Test
  void withoutCoalescingEveryMissCallsUpstream() throws Exception {
    CacheInterceptor uncoalesced = CacheInterceptor.builder().coalescing(false).build();
    holdUpstream(false);
    List<Future<ChatResponse>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(pool.submit(() -> upstream.call(uncoalesced, Upstream.request("fox?"))));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.calls.get() == 3);
    release.countDown();
    for (Future<ChatResponse> answer : answers) {
      answer.get(10, TimeUnit.SECONDS);
    }
    assertThat(upstream.calls).hasValue(3);
  }
}

package dev.llmgateway.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.spi.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link KeyRotation}, the round robin every Chat Completions adapter uses for several keys. */
class OpenAiKeyRotationTest {
  private static final Secret A = Secret.of("key-a");
  private static final Secret B = Secret.of("key-b");

  @Test
  void twoKeysOverFourCallsAreEachUsedTwiceInOrder() {
    KeyRotation rotation = new KeyRotation(List.of(A, B));
    List<Secret> used = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      used.add(rotation.next());
    }
    assertThat(used).containsExactly(A, B, A, B);
  }

  @Test
  void oneKeyIsAlwaysTheSameAndNoKeysGiveNone() {
    KeyRotation one = new KeyRotation(List.of(A));
    assertThat(List.of(one.next(), one.next(), one.next())).containsOnly(A);
    KeyRotation none = new KeyRotation(List.of());
    assertThat(none.next()).isNull();
    assertThat(none.isEmpty()).isTrue();
  }

  @Test
  void concurrentCallsShareTheKeysEvenly() throws Exception {
    KeyRotation rotation = new KeyRotation(List.of(A, B, Secret.of("key-c")));
    int threads = 8;
    int callsPerThread = 3_000;
    Map<Secret, AtomicInteger> counts = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < callsPerThread; i++) {
            counts.computeIfAbsent(rotation.next(), k -> new AtomicInteger()).incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // 24,000 turns over 3 keys: no turn lost or taken twice, so exactly 8,000 each
    assertThat(counts.values()).extracting(AtomicInteger::get).containsOnly(8_000);
    assertThat(counts).hasSize(3);
  }

  @Test
  void toStringShowsTheCountOnly() {
    assertThat(new KeyRotation(List.of(A, B)).toString()).isEqualTo("KeyRotation[2 keys]")
        .doesNotContain("key-a");
  }
}

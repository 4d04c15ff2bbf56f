package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Usage;
import dev.llmgateway.cache.SemanticCacheInterceptor;
import dev.llmgateway.cache.SemanticIndex;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.gateway.LlmGateway;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link SemanticIndex} contract on a real redis-server (7.x, no search module), plus what only the
 * Redis index has: its keys and their expiry, the bound per scope, a Redis outage as a miss, and two
 * gateway instances sharing one semantic cache.
 */
class RedisSemanticIndexTest extends SemanticIndexContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  private final List<RedisClient> clients = new ArrayList<>();
  private StatefulRedisConnection<String, byte[]> connection;
  private RedisSemanticIndex index;

  @BeforeEach
  void createIndex() {
    connection = connect();
    index = RedisSemanticIndex.create(connection);
  }

  @AfterEach
  void shutDownClients() {
    for (RedisClient client : clients) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Override
  SemanticIndex index() {
    return index;
  }

  /** A new connection with its own client, as another application instance would have. */
  private StatefulRedisConnection<String, byte[]> connect() {
    RedisClient client = RedisClient.create(REDIS.uri());
    client.setOptions(RedisOptions.clientOptions(Duration.ofSeconds(30)));
    clients.add(client);
    return RedisSemanticIndex.connect(client);
  }

  private RedisCommands<String, byte[]> redis() {
    return connection.sync();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(RedisSemanticIndex.DEFAULT_KEY_PREFIX).isEqualTo("llmgw:semantic:");
    assertThat(RedisSemanticIndex.DEFAULT_MAXIMUM_ENTRIES_PER_SCOPE).isEqualTo(200);
    assertThat(index.keyPrefix()).isEqualTo(RedisSemanticIndex.DEFAULT_KEY_PREFIX);
    assertThat(index.maximumEntriesPerScope()).isEqualTo(RedisSemanticIndex.DEFAULT_MAXIMUM_ENTRIES_PER_SCOPE);
    assertThat(index.isDegraded()).isFalse();
  }

  @Test
  void keepsAScopeInTwoHashesThatExpireWithItsLastEntry() {
    index.add("semantic:words:abc", v(3, 4), entry("a"), Duration.ofSeconds(90));
    index.add("semantic:words:abc", v(4, -3), entry("b"), Duration.ofSeconds(30));

    String vectors = "llmgw:semantic:{semantic:words:abc}:vectors";
    String answers = "llmgw:semantic:{semantic:words:abc}:answers";
    assertThat(index.keys("semantic:words:abc")).containsExactly(vectors, answers);
    assertThat(redis().hlen(vectors)).isEqualTo(2);
    assertThat(redis().hlen(answers)).isEqualTo(2);
    for (String key : new String[] {vectors, answers}) {
      // the later of the two expiries: 90 s from the server's now
      assertThat(redis().pttl(key)).as(key).isGreaterThan(30_000).isLessThanOrEqualTo(90_000);
    }
    // a record: expiry ms and storage time us (little-endian doubles), then the unit vector's float32s
    byte[] record = redis().hvals(vectors).stream().filter(r -> r.length == 16 + 2 * 4)
        .filter(r -> ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).getFloat(20) > 0.7f)
        .findFirst().orElseThrow();
    ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    double expiresAt = b.getDouble();
    double storedAtMicros = b.getDouble();
    assertThat(expiresAt - storedAtMicros / 1000).isCloseTo(90_000, within(2.0));
    assertThat(b.getFloat()).isCloseTo(0.6f, within(1e-6f));
    assertThat(b.getFloat()).isCloseTo(0.8f, within(1e-6f));
  }

  @Test
  void redisDeletesAScopeWhenItsLastEntryExpires() {
    index.add("s", v(1, 0), entry("brief"), Duration.ofMillis(50));
    String[] keys = index.keys("s");
    assertThat(redis().exists(keys)).isEqualTo(2);

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> redis().exists(keys) == 0);
    assertThat(index.nearest("s", v(1, 0), -1)).isNull();
  }

  @Test
  void aLookupDeletesTheExpiredEntriesItMeets() {
    index.add("s", v(1, 0), entry("brief"), Duration.ofMillis(50));
    index.add("s", v(0, 1), entry("lasting"), LONG);
    String vectors = index.keys("s")[0];

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> index.nearest("s", v(1, 0), 0.99) == null);

    assertThat(redis().hlen(vectors)).isEqualTo(1);
    assertThat(redis().hlen(index.keys("s")[1])).isEqualTo(1);
  }

  @Test
  void eachScopeKeepsAtMostItsBoundEvictingTheOldest() {
    RedisSemanticIndex small = RedisSemanticIndex.builder(connection).maximumEntriesPerScope(3).build();
    small.add("other", v(1, 0, 0, 0), entry("other"), LONG);
    small.add("s", v(1, 0, 0, 0), entry("first"), LONG);
    small.add("s", v(0, 1, 0, 0), entry("second"), LONG);
    small.add("s", v(0, 0, 1, 0), entry("third"), LONG);
    small.add("s", v(0, 0, 0, 1), entry("fourth"), LONG);

    assertThat(redis().hlen(small.keys("s")[0])).isEqualTo(3);
    assertThat(redis().hlen(small.keys("s")[1])).isEqualTo(3);
    assertThat(small.nearest("s", v(1, 0, 0, 0), 0.99)).as("the oldest was evicted").isNull();
    assertThat(small.nearest("s", v(0, 1, 0, 0), 0.99).entry()).isEqualTo(entry("second"));
    assertThat(small.nearest("s", v(0, 0, 0, 1), 0.99).entry()).isEqualTo(entry("fourth"));
    assertThat(small.nearest("other", v(1, 0, 0, 0), 0.99).entry()).as("another scope is not touched")
        .isEqualTo(entry("other"));

    small.add("s", v(0, 0, 1, 0), entry("third again"), LONG); // replaces "third": nothing evicted
    assertThat(small.nearest("s", v(0, 1, 0, 0), 0.99).entry()).isEqualTo(entry("second"));
    assertThat(small.nearest("s", v(0, 0, 1, 0), 0.99).entry()).isEqualTo(entry("third again"));
  }

  @Test
  void concurrentAddsFromManyInstancesKeepTheBoundAndBothHashesInStep() throws Exception {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        RedisSemanticIndex instance = RedisSemanticIndex.builder(connect()).maximumEntriesPerScope(20).build();
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 25; i++) {
            float[] vector = new float[16];
            vector[thread] = 1;
            vector[8 + i % 8] = i; // 200 distinct directions in all
            instance.add("s", vector, entry(thread + "-" + i), LONG);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    String[] keys = index.keys("s");
    assertThat(redis().hlen(keys[0])).isEqualTo(20);
    assertThat(redis().hkeys(keys[1])).containsExactlyInAnyOrderElementsOf(redis().hkeys(keys[0]));
  }

  @Test
  void twoIndexesOnTheServerShareEntriesAndPrefixesKeepThemApart() {
    RedisSemanticIndex other = RedisSemanticIndex.create(connect());
    RedisSemanticIndex green = RedisSemanticIndex.builder(connect()).keyPrefix("green:").build();
    index.add("s", v(1, 0), entry("a"), LONG);

    assertThat(other.nearest("s", v(1, 0.01f), 0.99).entry()).isEqualTo(entry("a"));
    assertThat(green.keyPrefix()).isEqualTo("green:");
    assertThat(green.nearest("s", v(1, 0), -1)).isNull();
  }

  @Test
  void aLostScriptCacheIsReloaded() {
    index.add("s", v(1, 0), entry("a"), LONG);
    redis().scriptFlush();

    assertThat(index.nearest("s", v(1, 0), 0.99).entry()).isEqualTo(entry("a"));
    index.add("s", v(0, 1), entry("b"), LONG);
    assertThat(index.nearest("s", v(0, 1), 0.99).entry()).isEqualTo(entry("b"));
  }

  @Test
  void anUnreadableAnswerIsAMissNotAnOutage() {
    index.add("s", v(1, 0), entry("a"), LONG);
    String answers = index.keys("s")[1];
    String id = redis().hkeys(answers).get(0);
    redis().hset(answers, id, "not an entry".getBytes(StandardCharsets.UTF_8));

    assertThat(index.nearest("s", v(1, 0), 0.99)).isNull();
    assertThat(index.isDegraded()).isFalse();
  }

  @Test
  void aVectorWhoseAnswerWasEvictedIsDroppedSoTheNextBestIsFound() {
    index.add("s", v(1, 0), entry("a"), LONG);
    index.add("s", v(1, 0.2f), entry("b"), LONG);
    String[] keys = index.keys("s");
    // evict "a"'s answer alone, as a volatile eviction policy might: find its id by its bytes
    String orphan = null;
    for (var field : redis().hgetall(keys[1]).entrySet()) {
      if (new String(field.getValue(), StandardCharsets.ISO_8859_1).contains("r-a")) {
        orphan = field.getKey();
      }
    }
    assertThat(orphan).isNotNull();
    redis().hdel(keys[1], orphan);

    assertThat(index.nearest("s", v(1, 0), 0.9)).as("the orphan is the best match: a miss").isNull();
    assertThat(redis().hexists(keys[0], orphan)).as("and it is dropped").isFalse();
    assertThat(index.nearest("s", v(1, 0), 0.9).entry()).isEqualTo(entry("b"));
  }

  @Test
  void aValueOfAnotherTypeUnderTheKeyIsAMiss() {
    redis().set(index.keys("s")[0], new byte[] {1});

    assertThat(index.nearest("s", v(1, 0), -1)).isNull(); // WRONGTYPE inside the script: still no error
    index.add("s", v(1, 0), entry("a"), LONG); // nor here
  }

  @Test
  void rejectsWhatCannotBeStored() {
    assertThatThrownBy(() -> index.add("s", v(1, 0), entry("a"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.add("s", v(1, 0), entry("a"), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.add("s", v(), entry("a"), LONG))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.add("s", v(1, Float.NaN), entry("a"), LONG))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisSemanticIndex.builder(connection).maximumEntriesPerScope(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(index.nearest("s", v(), -1)).isNull();
    assertThat(index.nearest("s", v(1, Float.POSITIVE_INFINITY), -1)).isNull();
  }

  @Test
  void ttlsAreWholeMillisecondsWithinBounds() {
    assertThat(RedisSemanticIndex.millis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(RedisSemanticIndex.millis(Duration.ofSeconds(2))).isEqualTo(2000);
    assertThat(RedisSemanticIndex.millis(Duration.ofDays(1_000_000)))
        .isEqualTo(RedisSemanticIndex.MAXIMUM_TTL_MILLIS);
    assertThat(RedisSemanticIndex.millis(Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(RedisSemanticIndex.MAXIMUM_TTL_MILLIS);
    index.add("s", v(1, 0), entry("a"), Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(index.nearest("s", v(1, 0), 0.99)).isNotNull();
  }

  @Test
  void anOutageIsAMissAndAddsAreIgnoredUntilRedisAnswersAgain() throws Exception {
    index.add("s", v(1, 0), entry("a"), LONG);

    REDIS.stop();
    assertThat(index.nearest("s", v(1, 0), 0.5)).isNull();
    assertThat(index.isDegraded()).isTrue();
    index.add("s", v(0, 1), entry("b"), LONG); // no exception
    assertThat(index.toString()).contains("degraded");

    REDIS.start(); // an empty server: no persistence
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
      index.add("s", v(0, 1), entry("b"), LONG);
      return index.nearest("s", v(0, 1), 0.99) != null;
    });
    assertThat(index.isDegraded()).isFalse();
  }

  /**
   * A deterministic stand-in for an embedding model: the axes are the words "password", "weather",
   * "reset" and "change" (the last two weigh less), plus a constant. "How do I reset my password?" and
   * "how can I change my password" score 0.96; a question about the weather scores 0.01 against both,
   * and 1.0 against another question about the weather.
   */
  static final EmbeddingClient WORDS = request -> {
    String text = request.inputs().get(0).toLowerCase(Locale.ROOT);
    float[] vector = {count(text, "password"), count(text, "weather"), 0.2f * count(text, "reset"),
        0.2f * count(text, "change"), 0.1f};
    return new EmbeddingResponse("words", "test", List.of(new Embedding(0, vector)), Usage.ZERO);
  };

  private static float count(String text, String word) {
    return text.split(word, -1).length - 1;
  }

  private static ChatRequest ask(String question) {
    return ChatRequest.builder().model("test/m1").system("Be brief.").user(question).temperature(0.0)
        .maxTokens(10).build();
  }

  /** One application instance: its own semantic cache, index and Redis client. */
  private LlmGateway gateway(PricedProvider provider) {
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(PricedProvider.CATALOG)
        .addInterceptor(SemanticCacheInterceptor.builder(WORDS, "words")
            .index(RedisSemanticIndex.create(connect())).build())
        .build();
  }

  @Test
  void aSecondInstanceAnswersAParaphraseOfWhatTheFirstPaidFor() {
    PricedProvider provider = new PricedProvider();
    try (LlmGateway first = gateway(provider); LlmGateway second = gateway(provider)) {
      ChatResponse answered = first.chat(ask("How do I reset my password?"));
      ChatResponse hit = second.chat(ask("how can I change my password"));

      assertThat(provider.calls.get()).as("the second instance did not call the provider").isEqualTo(1);
      assertThat(hit.text()).isEqualTo(answered.text()).isEqualTo("answer");
      assertThat(hit.usage()).as("a hit consumes no tokens").isEqualTo(Usage.ZERO);

      second.chat(ask("What is the weather like?")); // the same scope, but only 0.01 similar: a miss
      assertThat(provider.calls.get()).isEqualTo(2);
      first.chat(ask("Is the weather nice?")); // and the first instance hits what the second stored
      assertThat(provider.calls.get()).isEqualTo(2);
    }
  }

  @Test
  void callsAreAnsweredWhileRedisIsDown() throws Exception {
    PricedProvider provider = new PricedProvider();
    try (LlmGateway gateway = gateway(provider)) {
      gateway.chat(ask("How do I reset my password?"));
      REDIS.stop();

      ChatResponse answered = gateway.chat(ask("how can I change my password"));

      assertThat(answered.text()).isEqualTo("answer");
      assertThat(provider.calls.get()).as("a miss: the provider answered").isEqualTo(2);
    }
  }
}

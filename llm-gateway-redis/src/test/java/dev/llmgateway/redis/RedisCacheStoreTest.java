package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.cache.CacheEntry;
import dev.llmgateway.cache.CacheInterceptor;
import dev.llmgateway.gateway.LlmGateway;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisCacheStore} on a real redis-server: entries survive the round trip through
 * {@code CacheEntryCodec}, expire with the TTL they were stored with, are shared by every store (and every
 * {@link CacheInterceptor}) on the server, and a failing Redis is a miss rather than an error.
 */
class RedisCacheStoreTest {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  private final List<RedisClient> clients = new ArrayList<>();

  @AfterEach
  void shutDownClients() {
    for (RedisClient client : clients) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** A new store with its own client, as another application instance would have. */
  private RedisCacheStore store() {
    return RedisCacheStore.create(connect());
  }

  private StatefulRedisConnection<String, byte[]> connect() {
    RedisClient client = RedisClient.create(REDIS.uri());
    client.setOptions(RedisOptions.clientOptions(Duration.ofSeconds(30)));
    clients.add(client);
    return RedisCacheStore.connect(client);
  }

  private static CacheEntry entry() {
    ChatResponse response = ChatResponse.builder().id("r1").model("m1").provider("test")
        .message(Message.assistant(List.of(new ContentPart.Text("Let me check the weather – ☀️"),
            new ContentPart.ToolCall("call_1", "weather", "{\"city\":\"Zürich\"}"))))
        .finishReason(FinishReason.TOOL_CALLS).rawFinishReason("tool_calls")
        .usage(new Usage(120, 45, 100, 0, 7, false)).requestId("req-9").build();
    return new CacheEntry(response, "group-a", Instant.parse("2025-06-01T12:00:00.123456789Z"));
  }

  @Test
  void roundTripsAnEntryWithTextToolCallsAndUsage() {
    RedisCacheStore store = store();
    CacheEntry entry = entry();

    store.put("k1", entry, Duration.ofMinutes(5));

    assertThat(store.get("k1")).isEqualTo(entry);
    assertThat(store.get("k1").response().toolCalls()).singleElement()
        .isEqualTo(new ContentPart.ToolCall("call_1", "weather", "{\"city\":\"Zürich\"}"));
    assertThat(store.get("other")).isNull();
    assertThat(store.isDegraded()).isFalse();
  }

  @Test
  void storesUnderTheInterceptorsKeyWithTheTtlAsPx() {
    StatefulRedisConnection<String, byte[]> connection = connect();
    RedisCacheStore store = RedisCacheStore.create(connection);

    store.put("llmgw:cache:v1:k1", entry(), Duration.ofSeconds(90));

    long pttl = connection.sync().pttl("llmgw:cache:v1:k1");
    assertThat(pttl).isPositive().isLessThanOrEqualTo(90_000);
    assertThat(connection.sync().get("llmgw:cache:v1:k1")).isNotNull();
    assertThat(connection.sync().keys("llmgw:cache:llmgw:*")).isEmpty();
  }

  @Test
  void entriesExpireAfterTheirTtl() {
    RedisCacheStore store = store();
    store.put("k1", entry(), Duration.ofMillis(50));

    // Redis expires the key; poll (bounded) rather than sleep
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> store.get("k1") == null);
  }

  @Test
  void removeDeletesTheEntry() {
    RedisCacheStore store = store();
    store.put("k1", entry(), Duration.ofMinutes(5));

    store.remove("k1");
    store.remove("absent");

    assertThat(store.get("k1")).isNull();
  }

  @Test
  void twoStoresOnTheServerShareEntries() {
    RedisCacheStore one = store();
    RedisCacheStore two = store();

    one.put("k1", entry(), Duration.ofMinutes(5));
    assertThat(two.get("k1")).isEqualTo(entry());

    two.remove("k1");
    assertThat(one.get("k1")).isNull();
  }

  @Test
  void keyPrefixesKeepCachesApart() {
    StatefulRedisConnection<String, byte[]> connection = connect();
    RedisCacheStore blue = RedisCacheStore.builder(connection).keyPrefix("blue:").build();
    RedisCacheStore green = RedisCacheStore.builder(connection).keyPrefix("green:").build();

    blue.put("k1", entry(), Duration.ofMinutes(5));

    assertThat(blue.keyPrefix()).isEqualTo("blue:");
    assertThat(connection.sync().exists("blue:k1")).isEqualTo(1);
    assertThat(green.get("k1")).isNull();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    RedisCacheStore store = store();

    assertThat(RedisCacheStore.DEFAULT_KEY_PREFIX).isEmpty();
    assertThat(store.keyPrefix()).isEqualTo(RedisCacheStore.DEFAULT_KEY_PREFIX);
    assertThat(store.isDegraded()).isFalse();
  }

  @Test
  void unreadableBytesAreAMiss() {
    StatefulRedisConnection<String, byte[]> connection = connect();
    RedisCacheStore store = RedisCacheStore.create(connection);
    connection.sync().set("llmgw:cache:k1", "not an entry".getBytes(StandardCharsets.UTF_8));

    assertThat(store.get("k1")).isNull();
    assertThat(store.isDegraded()).as("a foreign value is not an outage").isFalse();
  }

  @Test
  void aValueOfAnotherTypeIsAMiss() {
    StatefulRedisConnection<String, byte[]> connection = connect();
    RedisCacheStore store = RedisCacheStore.create(connection);
    connection.sync().rpush("llmgw:cache:k1", new byte[] {1});

    assertThat(store.get("k1")).isNull(); // WRONGTYPE: an error reply, still not an error of the call
  }

  @Test
  void rejectsANonPositiveTtl() {
    RedisCacheStore store = store();

    assertThatThrownBy(() -> store.put("k1", entry(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put("k1", entry(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSubMillisecondTtlIsOneMillisecond() {
    assertThat(RedisCacheStore.millis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(RedisCacheStore.millis(Duration.ofSeconds(2))).isEqualTo(2000);
  }

  @Test
  void anOutageIsAMissAndPutsAreIgnoredUntilRedisAnswersAgain() throws Exception {
    RedisCacheStore store = store();
    store.put("k1", entry(), Duration.ofMinutes(5));

    REDIS.stop();
    assertThat(store.get("k1")).isNull();
    assertThat(store.isDegraded()).isTrue();
    store.put("k2", entry(), Duration.ofMinutes(5)); // no exception
    store.remove("k1"); // no exception
    assertThat(store.toString()).contains("degraded");

    REDIS.start(); // an empty server: no persistence
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
      store.put("k3", entry(), Duration.ofMinutes(5));
      return store.get("k3") != null;
    });
    assertThat(store.isDegraded()).isFalse();
  }

  @Test
  void aSecondInstanceHitsTheAnswerTheFirstStored() {
    PricedProvider provider = new PricedProvider();
    ChatRequest request = ChatRequest.builder().model("test/m1").user("hi").temperature(0.0)
        .maxTokens(10).build();
    try (LlmGateway first = gateway(provider); LlmGateway second = gateway(provider)) {
      ChatResponse answered = first.chat(request);
      ChatResponse hit = second.chat(request);

      assertThat(provider.calls.get()).as("the second instance did not call the provider").isEqualTo(1);
      assertThat(hit.text()).isEqualTo(answered.text()).isEqualTo("answer");
      assertThat(hit.usage()).as("a hit consumes no tokens").isEqualTo(Usage.ZERO);
    }
  }

  /** One application instance: its own cache interceptor, store and Redis client. */
  private LlmGateway gateway(PricedProvider provider) {
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(PricedProvider.CATALOG)
        .addInterceptor(CacheInterceptor.builder().store(store()).build())
        .build();
  }
}

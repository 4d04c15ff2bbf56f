package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.budget.BudgetStore;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on a real redis-server, plus what only the Redis store has (keys, scripts, defaults). */
class RedisBudgetStoreTest extends BudgetStoreContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  private static StatefulRedisConnection<String, String> connection;
  private RedisBudgetStore store;

  @BeforeEach
  void connect() {
    if (connection == null) {
      connection = REDIS.connect();
    }
    store = RedisBudgetStore.create(connection);
  }

  @Override
  BudgetStore store() {
    return store;
  }

  @Test
  void hasTheDocumentedDefaults() {
    assertThat(RedisBudgetStore.DEFAULT_KEY_PREFIX).isEqualTo("llmgw:");
    assertThat(RedisBudgetStore.DEFAULT_FAILURE_MODE).isEqualTo(RedisFailureMode.FAIL_CLOSED);
    assertThat(store.keyPrefix()).isEqualTo("llmgw:");
    assertThat(store.failureMode()).isEqualTo(RedisFailureMode.FAIL_CLOSED);
    assertThat(store.isDegraded()).isFalse();
    assertThat(RedisOptions.DEFAULT_COMMAND_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void keepsEachBudgetKeyInTheDocumentedKeysWithTheirExpiry() {
    Instant keyExpiry = Instant.now().plus(Duration.ofDays(3));
    store.tryReserve("acme-monthly/acme/2025-06", "call-1", 40, 100, Instant.now().plusSeconds(60), keyExpiry);
    store.markAlert("acme-monthly/acme/2025-06", 50, keyExpiry);
    var redis = connection.sync();
    String base = "llmgw:budget:{acme-monthly/acme/2025-06}";
    assertThat(redis.hgetall(base)).containsEntry("reserved", "40");
    assertThat(redis.hgetall(base + ":res")).containsEntry("call-1", "40");
    assertThat(redis.zscore(base + ":exp", "call-1")).isPositive();
    assertThat(redis.smembers(base + ":alerts")).containsExactly("50");
    for (String key : new String[] {base, base + ":res", base + ":exp", base + ":alerts"}) {
      assertThat(redis.pexpiretime(key)).as(key).isEqualTo(keyExpiry.toEpochMilli());
    }
  }

  @Test
  void aKeyPrefixSeparatesStoresOnOneServer() {
    RedisBudgetStore other = RedisBudgetStore.builder(connection).keyPrefix("other:").build();
    store.add("k", 7, null);
    assertThat(other.usage("k")).isEqualTo(BudgetStore.BudgetUsage.ZERO);
    assertThat(connection.sync().exists("other:budget:{k}", "llmgw:budget:{k}")).isEqualTo(1);
  }

  @Test
  void reloadsItsScriptsWhenTheServerForgetsThem() {
    store.add("k", 1, null);
    connection.sync().scriptFlush();
    assertThat(store.add("k", 1, null)).isEqualTo(new BudgetStore.BudgetUsage(2, 0));
  }
}

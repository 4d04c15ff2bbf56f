package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ratelimit.RateLimitStore;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on a real redis-server, plus the Redis layout and defaults. */
class RedisRateLimitStoreTest extends RateLimitStoreContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension();

  private static StatefulRedisConnection<String, String> connection;
  private RedisRateLimitStore store;

  @BeforeEach
  void connect() {
    if (connection == null) {
      connection = REDIS.connect();
    }
    store = RedisRateLimitStore.create(connection);
  }

  @Override
  RateLimitStore store() {
    return store;
  }

  @Test
  void hasTheDocumentedDefaults() {
    assertThat(RedisRateLimitStore.DEFAULT_KEY_PREFIX).isEqualTo("llmgw:");
    assertThat(RedisRateLimitStore.DEFAULT_FAILURE_MODE).isEqualTo(RedisFailureMode.FAIL_CLOSED);
    assertThat(store.keyPrefix()).isEqualTo("llmgw:");
    assertThat(store.failureMode()).isEqualTo(RedisFailureMode.FAIL_CLOSED);
  }

  @Test
  void countsEachWindowUnderItsOwnKeyUntilTheStartOfTheWindowAfterNext() {
    store.tryAcquire("rpm/requests/acme", base, 0, MINUTE, 3, 10);
    String key = "llmgw:rate:{rpm/requests/acme}:" + base;
    assertThat(connection.sync().get(key)).isEqualTo("3");
    assertThat(connection.sync().pexpiretime(key)).isEqualTo((base + 2) * MINUTE);
  }
}

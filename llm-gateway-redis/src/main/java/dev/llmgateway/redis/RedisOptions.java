package dev.llmgateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Lettuce client options suited to the stores: commands fail at once while disconnected (rather than
 * queueing until the server is back) and time out after a bounded time, so that a
 * {@link RedisFailureMode} takes effect promptly. Lettuce's own defaults queue commands while
 * disconnected and wait 60 seconds, which would hold every call for a minute during an outage.
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create("redis://redis:6379");
 * client.setOptions(RedisOptions.clientOptions());
 * StatefulRedisConnection<String, String> connection = client.connect();
 * }</pre>
 */
public final class RedisOptions {
  /** How long a command may take before it counts as an outage: 2 seconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private RedisOptions() {}

  /** Options rejecting commands while disconnected, timing out after {@link #DEFAULT_COMMAND_TIMEOUT}. */
  public static ClientOptions clientOptions() {
    return clientOptions(DEFAULT_COMMAND_TIMEOUT);
  }

  /** Options rejecting commands while disconnected, timing out after {@code commandTimeout}. */
  public static ClientOptions clientOptions(Duration commandTimeout) {
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive, was " + commandTimeout);
    }
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build();
  }
}

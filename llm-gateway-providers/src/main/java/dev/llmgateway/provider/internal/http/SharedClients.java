package dev.llmgateway.provider.internal.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.spi.SharedResources;
import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The HTTP client and JSON mapper the providers of one gateway share, kept in its
 * {@link SharedResources}: one connection pool and dispatcher, one mapper, however many providers. When
 * the host has not put its own instances in, defaults are created on first use.
 */
public final class SharedClients {

  /** Connect timeout of the default client. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Read timeout of the default client: the longest silence between two reads. Long, because a model may
   * think for minutes before its first byte; the caller's deadline ({@code CallOptions.timeout}) bounds the
   * whole call.
   */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(10);

  /** Write timeout of the default client. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMinutes(1);

  private SharedClients() {}

  /** The gateway's OkHttp client, created with {@link #newHttpClient()} if the host put none in. */
  public static OkHttpClient httpClient(SharedResources resources) {
    Objects.requireNonNull(resources, "resources");
    return resources.computeIfAbsent(OkHttpClient.class, SharedClients::newHttpClient);
  }

  /** The gateway's Jackson mapper, created with {@link #newObjectMapper()} if the host put none in. */
  public static ObjectMapper objectMapper(SharedResources resources) {
    Objects.requireNonNull(resources, "resources");
    return resources.computeIfAbsent(ObjectMapper.class, SharedClients::newObjectMapper);
  }

  /**
   * A client with {@link #DEFAULT_CONNECT_TIMEOUT}, {@link #DEFAULT_READ_TIMEOUT},
   * {@link #DEFAULT_WRITE_TIMEOUT}, no call timeout and no retries on connection failure (the pipeline
   * retries, knowing the caller's deadline).
   */
  public static OkHttpClient newHttpClient() {
    return new OkHttpClient.Builder()
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .readTimeout(DEFAULT_READ_TIMEOUT)
        .writeTimeout(DEFAULT_WRITE_TIMEOUT)
        .retryOnConnectionFailure(false)
        .build();
  }

  /**
   * {@code client}, or a client derived from it that shares its connection pool and dispatcher but never
   * retries by itself: OkHttp's {@code retryOnConnectionFailure} silently repeats a request after a
   * connection failure or an HTTP 408, and providers must leave retrying to the pipeline, which knows the
   * caller's deadline and reports each attempt.
   */
  public static OkHttpClient withoutSilentRetries(OkHttpClient client) {
    Objects.requireNonNull(client, "client");
    return client.retryOnConnectionFailure()
        ? client.newBuilder().retryOnConnectionFailure(false).build()
        : client;
  }

  /** A lenient mapper: unknown properties are ignored, because providers keep adding fields. */
  public static ObjectMapper newObjectMapper() {
    return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }
}

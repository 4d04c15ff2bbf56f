package dev.llmgateway.prompt.http;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A running JDK HTTP server publishing a {@link FunctionEndpoint}, from
 * {@link FunctionEndpoint#serve}. Close it to stop serving: the listening socket closes, and a thread
 * pool the endpoint created for it is shut down (a host's executor is left alone).
 *
 * <p>{@link #close()} stops at once; {@link #stop(Duration)} first lets calls in progress finish for up
 * to the grace period. (On Java 17 to 20 the JDK server waits out the whole grace period even when idle.)
 */
public final class FunctionServer implements AutoCloseable {
  private final HttpServer server;
  private final String basePath;
  private final @Nullable ExecutorService ownedPool;
  private final AtomicBoolean stopped = new AtomicBoolean();

  FunctionServer(HttpServer server, String basePath, @Nullable ExecutorService ownedPool) {
    this.server = server;
    this.basePath = basePath;
    this.ownedPool = ownedPool;
  }

  /** The JDK server itself, e.g. to add contexts of the host's own. */
  public HttpServer httpServer() {
    return server;
  }

  /** The address it listens on, with the actual port when it was started on port 0. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The URI of the functions, e.g. {@code http://127.0.0.1:54321/functions}. */
  public URI uri() {
    InetSocketAddress address = address();
    String host = address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + address.getPort() + basePath);
  }

  /**
   * Stops serving, letting calls in progress finish for up to {@code grace}. Idempotent.
   */
  public void stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, was " + grace);
    }
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    server.stop((int) Math.min(Integer.MAX_VALUE, grace.toSeconds()));
    if (ownedPool != null) {
      ownedPool.shutdown();
      try {
        if (!ownedPool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          ownedPool.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedPool.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops serving at once: {@link #stop(Duration)} with no grace. Idempotent. */
  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  @Override
  public String toString() {
    return "FunctionServer[" + uri() + (stopped.get() ? ", stopped" : "") + "]";
  }
}

package dev.llmgateway.prompt.http;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A running JDK HTTP server publishing a {@link FunctionEndpoint}, from
 * {@link FunctionEndpoint#serve}. Close it to stop serving: the listening socket closes, and a thread
 * pool the endpoint created for it is shut down (a host's executor is left alone).
 *
 * <p>{@link #close()} stops at once; {@link #stop(Duration)} first lets calls in progress finish for up
 * to the grace period. (Before Java 21, and 17.0.20 among the updates of Java 17, the JDK server waits
 * out the whole grace period, in whole seconds, even when idle.)
 *
 * <p><b>Slow and stalled clients.</b> The JDK's HTTP server has no read or write timeout by default.
 * The endpoint bounds what it controls: a client that stops sending its body, or stops reading the
 * answer, is disconnected after {@link FunctionEndpoint.Builder#ioTimeout} (30 seconds by default), and
 * a body over the limit is answered 413 and thrown away without holding a thread for long. But the
 * request line and headers are read by the JDK server itself, on a thread of this server's pool, before
 * the endpoint runs: a client that opens a connection, sends part of its headers and stops holds that
 * thread (and with all of them held, the server answers nobody). Two remedies, best together:
 * <ul>
 *   <li>put a reverse proxy (nginx, Envoy, a cloud load balancer) in front of the server, with its own
 *       client timeouts and body limit; it forwards only whole requests;
 *   <li>set the JDK server's own limits, system properties read once when the JDK's server classes load
 *       (so set them on the command line): {@code -Dsun.net.httpserver.maxReqTime=30} closes a
 *       connection whose request (headers and body) is not all read within 30 seconds, and
 *       {@code -Dsun.net.httpserver.maxRspTime=60} one whose answer is not sent within 60 seconds of the
 *       request (in seconds; unset, there is no limit). Mind that {@code maxRspTime} also counts the
 *       time the model takes to answer.
 * </ul>
 */
public final class FunctionServer implements AutoCloseable {
  private final HttpServer server;
  private final String basePath;
  private final @Nullable ExecutorService ownedPool;
  private final LongSupplier nanoTime;
  private final AtomicBoolean stopped = new AtomicBoolean();

  FunctionServer(HttpServer server, String basePath, @Nullable ExecutorService ownedPool) {
    this(server, basePath, ownedPool, System::nanoTime);
  }

  /** With the clock {@link #stop} measures the grace period on, for tests. */
  FunctionServer(HttpServer server, String basePath, @Nullable ExecutorService ownedPool,
      LongSupplier nanoTime) {
    this.server = server;
    this.basePath = basePath;
    this.ownedPool = ownedPool;
    this.nanoTime = nanoTime;
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
   * Stops serving, letting calls in progress finish for up to {@code grace} in all: the JDK server
   * (which counts in whole seconds) and then the pool it owns share the one grace period, and a call
   * still running at its end is interrupted. Idempotent.
   */
  public void stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, was " + grace);
    }
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long start = nanoTime.getAsLong();
    long graceNanos = saturatedNanos(grace);
    server.stop((int) Math.min(Integer.MAX_VALUE, grace.toSeconds()));
    if (ownedPool != null) {
      ownedPool.shutdown();
      try {
        long left = graceNanos - (nanoTime.getAsLong() - start);
        if (left <= 0 || !ownedPool.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          ownedPool.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedPool.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
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

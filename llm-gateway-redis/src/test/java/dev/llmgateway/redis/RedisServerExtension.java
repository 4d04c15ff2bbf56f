package dev.llmgateway.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@code redis-server} on a free loopback port for a test class (no persistence), empties
 * it before each test, and stops it after the class. Tests may {@link #stop()} and {@link #start()} it to
 * simulate an outage; it restarts on the same port. Fails (does not skip) when {@code redis-server} is not
 * on the PATH: CI installs it ({@code .ci/run}).
 *
 * <pre>{@code @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();}</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private int port;
  private @Nullable Process process;
  private @Nullable Path log;
  private @Nullable ClientResources resources;
  private final List<RedisClient> clients = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String executable = findOnPath("redis-server");
    if (executable == null) {
      throw new IllegalStateException("redis-server is not on the PATH. The Redis store tests need a real "
          + "server: install it (Debian/Ubuntu: apt-get install -y redis-server); .ci/run does.");
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    log = Files.createTempFile("redis-server-" + port, ".log");
    // reconnect quickly after a restart instead of Lettuce's exponential backoff (up to 30 s)
    resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(20))).build();
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (process == null || !process.isAlive()) {
      start();
    }
    String reply = command("FLUSHALL");
    if (!reply.startsWith("+OK")) {
      throw new IllegalStateException("FLUSHALL answered " + reply);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (RedisClient client : clients) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    clients.clear();
    if (resources != null) {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get();
    }
    stop();
  }

  public int port() {
    return port;
  }

  public RedisURI uri() {
    return RedisURI.create("127.0.0.1", port);
  }

  /** A new connection (its own client, with {@link RedisOptions#clientOptions()}), closed after the class. */
  public StatefulRedisConnection<String, String> connect() {
    RedisClient client = RedisClient.create(resources, uri());
    // a generous timeout: CI machines may be loaded; outages are still noticed at once (commands rejected)
    client.setOptions(RedisOptions.clientOptions(Duration.ofSeconds(30)));
    clients.add(client);
    return client.connect();
  }

  /** Starts the server on {@link #port()} and returns once it answers PING. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server", e);
    }
    Process started = process;
    await("redis-server on port " + port + " answering PING (log: " + log + ")")
        .atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(10))
        .until(() -> {
          if (!started.isAlive()) {
            throw new IllegalStateException("redis-server exited with " + started.exitValue() + ": "
                + Files.readString(log));
          }
          return pings();
        });
  }

  /** Stops the server and returns once it has exited. */
  public synchronized void stop() throws InterruptedException {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
    process = null;
  }

  private boolean pings() {
    try {
      return command("PING").startsWith("+PONG");
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** Sends one inline command and returns the first line of the answer. */
  private String command(String command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString().trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static @Nullable String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.isFile() && f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }
}

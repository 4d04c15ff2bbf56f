package dev.llmgateway.prompt.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link FunctionServer#stop} on a fake clock: the JDK server's stop and the pool's termination share
 * one grace period instead of each waiting it out.
 */
class FunctionServerStopTest {
  private long now = 1_000_000_000L;

  /** A JDK server whose stop takes {@code stopTakes} on the fake clock, or its whole delay when null. */
  private final class FakeServer extends HttpServer {
    final List<Integer> stops = new ArrayList<>();
    @Nullable Duration stopTakes;

    @Override
    public void stop(int delay) {
      stops.add(delay);
      now += stopTakes != null ? stopTakes.toNanos() : TimeUnit.SECONDS.toNanos(delay);
    }

    @Override
    public InetSocketAddress getAddress() {
      return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) {}

    @Override
    public void start() {}

    @Override
    public void setExecutor(@Nullable Executor executor) {}

    @Override
    public @Nullable Executor getExecutor() {
      return null;
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public HttpContext createContext(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void removeContext(String path) {}

    @Override
    public void removeContext(HttpContext context) {}
  }

  /** A pool with a call that never ends: it waits out whatever it is given on the fake clock. */
  private final class BusyPool extends AbstractExecutorService {
    final List<Long> awaits = new ArrayList<>();
    boolean shutdown;
    boolean shutdownNow;

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdownNow = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      awaits.add(unit.toNanos(timeout));
      now += unit.toNanos(timeout);
      return false;
    }

    @Override
    public void execute(Runnable command) {
      throw new UnsupportedOperationException();
    }
  }

  private final FakeServer server = new FakeServer();
  private final BusyPool pool = new BusyPool();
  private final FunctionServer functions = new FunctionServer(server, "/functions", pool, () -> now);

  @Test
  void theServerAndThePoolShareOneGracePeriod() {
    long start = now;

    functions.stop(Duration.ofMillis(2500));

    assertThat(server.stops).containsExactly(2);
    assertThat(pool.awaits).containsExactly(Duration.ofMillis(500).toNanos());
    assertThat(pool.shutdownNow).as("the call still running is interrupted").isTrue();
    assertThat(now - start).isEqualTo(Duration.ofMillis(2500).toNanos());
  }

  @Test
  void aServerThatUsedTheWholeGraceLeavesThePoolNone() {
    server.stopTakes = Duration.ofMillis(1200);

    functions.stop(Duration.ofSeconds(1));

    assertThat(server.stops).containsExactly(1);
    assertThat(pool.awaits).isEmpty();
    assertThat(pool.shutdown).isTrue();
    assertThat(pool.shutdownNow).isTrue();
  }

  @Test
  void stopsOnceAndCloseIsStopWithoutGrace() {
    functions.close();
    functions.stop(Duration.ofSeconds(5));

    assertThat(server.stops).containsExactly(0);
    assertThat(pool.shutdownNow).isTrue();
  }
}

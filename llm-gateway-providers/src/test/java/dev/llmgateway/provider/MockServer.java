package dev.llmgateway.provider;

import java.util.Objects;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, started {@link MockWebServer} for each test, closed after it, and an OkHttp client to call it
 * with. Register it with {@code @RegisterExtension}; it starts before the test class's
 * {@code @BeforeEach} methods run, so they may build providers against it.
 */
public final class MockServer implements BeforeEachCallback, AfterEachCallback {
  private final OkHttpClient client = new OkHttpClient();
  private @Nullable MockWebServer server;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The server of the running test. */
  public MockWebServer server() {
    return Objects.requireNonNull(server, "the server runs only during a test");
  }

  /** A client for the tests' providers. */
  public OkHttpClient client() {
    return client;
  }
}

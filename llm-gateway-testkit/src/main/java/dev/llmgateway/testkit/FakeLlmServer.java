package dev.llmgateway.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.testkit.internal.ChatCompletionsDispatcher;
import dev.llmgateway.testkit.internal.NoDelayServerSocketFactory;
import dev.llmgateway.testkit.internal.ReplyQueue;
import dev.llmgateway.testkit.internal.RequestLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import mockwebserver3.MockWebServer;

/**
 * An in-process HTTP server speaking the OpenAI Chat Completions wire format, for testing applications
 * without spending tokens, and for fault-injection tests, demos and benchmarks.
 *
 * <p>It listens on a random loopback port and serves {@code POST /v1/chat/completions}, blocking (a
 * {@code chat.completion} JSON) or streaming (server-sent {@code chat.completion.chunk} events ending with
 * {@code data: [DONE]}, plus a final usage chunk when {@code stream_options.include_usage} is set), as the
 * request's {@code "stream"} asks. It also lists its model at {@code GET /v1/models}. Each answer echoes the
 * request's model, has the id {@code chatcmpl-fake-N} and the header {@code x-request-id: req_fake_N}, where N
 * is the request's number on this server.
 *
 * <p>What it answers is scripted: {@link #enqueue} queues {@link FakeReply replies}, first in first out; once
 * the queue is empty every call gets the default reply, by default {@link FakeReply#echo} ("Hello from
 * FakeLlmServer. You said: ..."). Every request received is recorded as a {@link CapturedRequest}.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *   server.enqueue(FakeReply.rateLimited(Duration.ofMillis(100)), FakeReply.text("Paris."));
 *
 *   String answer = myApp.ask(server.baseUrl(), "What is the capital of France?");  // retries once
 *
 *   assertThat(answer).isEqualTo("Paris.");
 *   assertThat(server.requestCount()).isEqualTo(2);
 *   assertThat(server.takeRequest().lastUserMessage()).isEqualTo("What is the capital of France?");
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of client threads may call it at once, and {@link #enqueue} may be called while
 * calls are in flight. MockWebServer serves each connection on its own thread, so a scripted delay holds up
 * only its own call. {@link #close()} releases every pending delay at once.
 */
public final class FakeLlmServer implements AutoCloseable {

  /** The model reported when a request names none, and listed at {@code /v1/models}: {@value}. */
  public static final String DEFAULT_MODEL = "fake-model";
  /** The reply used when no scripted reply is left: {@link FakeReply#echo}. */
  public static final Function<CapturedRequest, FakeReply> DEFAULT_REPLY = FakeReply::echo;
  /** The clock giving each answer's {@code created} time: the system clock. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** How many requests {@link #requests()} and {@link #takeRequest()} keep at most: {@value}. */
  public static final int DEFAULT_RECORD_LIMIT = 10_000;
  /** How long {@link #takeRequest()} waits for a request: ten seconds. */
  public static final Duration DEFAULT_TAKE_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final MockWebServer server;
  private final ReplyQueue replies;
  private final RequestLog log;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String model;
  private final String baseUrl;

  private FakeLlmServer(Builder builder) {
    this.model = builder.model;
    this.replies = new ReplyQueue(builder.defaultReply);
    this.log = new RequestLog(builder.recordLimit);
    this.server = new MockWebServer();
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    server.setDispatcher(new ChatCompletionsDispatcher(replies, log, new ObjectMapper(), builder.clock, model,
        closing));
    try {
      server.start(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("FakeLlmServer could not start", e);
    }
    this.baseUrl = "http://127.0.0.1:" + server.getPort() + "/v1";
  }

  /** Starts a server with the defaults on a random loopback port. */
  public static FakeLlmServer start() {
    return builder().start();
  }

  /** A builder for a server with another default reply, model or clock. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The OpenAI-style base URL, such as {@code http://127.0.0.1:54321/v1}: clients append
   * {@code /chat/completions}. (Any path ending in {@code /chat/completions} is served, so a base URL without
   * {@code /v1} works too.)
   */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@link #baseUrl()} followed by {@code /chat/completions}. */
  public String chatCompletionsUrl() {
    return baseUrl + "/chat/completions";
  }

  /** The port listened on. */
  public int port() {
    return server.getPort();
  }

  /** The model reported when a request names none. */
  public String model() {
    return model;
  }

  /** Queues replies, served in order to the next chat completion requests (other paths take none). */
  public void enqueue(FakeReply... replies) {
    this.replies.enqueue(List.of(replies));
  }

  /** How many enqueued replies no request has taken yet. */
  public int pendingReplies() {
    return replies.pending();
  }

  /**
   * The oldest request not taken yet, waiting up to {@link #DEFAULT_TAKE_REQUEST_TIMEOUT} for one.
   *
   * @throws IllegalStateException when none arrives in time
   */
  public CapturedRequest takeRequest() {
    return takeRequest(DEFAULT_TAKE_REQUEST_TIMEOUT);
  }

  /**
   * The oldest request not taken yet, waiting up to {@code timeout} for one. Requests are recorded before
   * they are answered, so a request waiting on a scripted delay can already be taken.
   *
   * @throws IllegalStateException when none arrives in time, or the thread is interrupted
   */
  public CapturedRequest takeRequest(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      CapturedRequest request = log.take(timeout);
      if (request == null) {
        throw new IllegalStateException("FakeLlmServer received no request within " + timeout);
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a request", e);
    }
  }

  /** Every request received so far, oldest first, whether taken or not (at most the record limit). */
  public List<CapturedRequest> requests() {
    return log.all();
  }

  /** How many HTTP requests this server has received, on every path. */
  public int requestCount() {
    return log.count();
  }

  /** Stops the server: pending delays end at once and open connections are closed. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closing.countDown();
      server.close();
    }
  }

  @Override
  public String toString() {
    return "FakeLlmServer[" + baseUrl + "]";
  }

  /**
   * Configures a {@link FakeLlmServer}; {@link #start()} starts it.
   *
   * <pre>{@code
   * FakeLlmServer server = FakeLlmServer.builder()
   *     .defaultReply(request -> FakeReply.text("Always this."))
   *     .model("gpt-4o-mini")
   *     .start();
   * }</pre>
   */
  public static final class Builder {
    private Function<CapturedRequest, FakeReply> defaultReply = DEFAULT_REPLY;
    private String model = DEFAULT_MODEL;
    private Clock clock = DEFAULT_CLOCK;
    private int recordLimit = DEFAULT_RECORD_LIMIT;

    private Builder() {
    }

    /**
     * The reply for calls that find no scripted reply, computed from the request. A completion without text
     * or tool calls here gets the echo's text. Defaults to {@link #DEFAULT_REPLY}, an echo of the last user
     * message.
     */
    public Builder defaultReply(Function<CapturedRequest, FakeReply> defaultReply) {
      this.defaultReply = Objects.requireNonNull(defaultReply, "defaultReply");
      return this;
    }

    /** The model reported when a request names none, and listed at {@code /v1/models}. Defaults to
     * {@value #DEFAULT_MODEL}. */
    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model;
      return this;
    }

    /** The clock giving each answer's {@code created} time; a fixed clock makes answers reproducible.
     * Defaults to {@link #DEFAULT_CLOCK}, the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How many requests to keep for {@link #requests()} and {@link #takeRequest()}, the oldest dropped
     * first; {@link #requestCount()} counts them all regardless. Defaults to {@value #DEFAULT_RECORD_LIMIT}. */
    public Builder recordLimit(int recordLimit) {
      if (recordLimit < 1) {
        throw new IllegalArgumentException("recordLimit must be at least 1, was " + recordLimit);
      }
      this.recordLimit = recordLimit;
      return this;
    }

    /** Starts the server on a random loopback port. */
    public FakeLlmServer start() {
      return new FakeLlmServer(this);
    }
  }
}

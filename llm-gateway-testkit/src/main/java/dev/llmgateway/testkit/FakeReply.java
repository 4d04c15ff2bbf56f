package dev.llmgateway.testkit;

import dev.llmgateway.testkit.internal.OpenAiJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One scripted answer of {@link FakeLlmServer}: what to say (text, tool calls, usage, finish reason), how to
 * say it (stream chunking, per-chunk latency, slow first byte) or how to fail (an HTTP error, a connection
 * closed before any answer, a stream cut in the middle, a body that is not JSON).
 *
 * <p>The same reply serves a blocking call (one {@code chat.completion} JSON) and a streaming one
 * ({@code chat.completion.chunk} events ending with {@code data: [DONE]}); the request's {@code "stream"}
 * decides. Replies are immutable and may be enqueued many times.
 *
 * <pre>{@code
 * server.enqueue(
 *     FakeReply.text("The capital of France is Paris."),
 *     FakeReply.toolCall("get_weather", "{\"city\": \"Paris\"}"),
 *     FakeReply.rateLimited(Duration.ofMillis(200)),
 *     FakeReply.serverError(503),
 *     FakeReply.connectionReset(),
 *     FakeReply.builder()
 *         .text("A slow answer, cut after three chunks")
 *         .firstByteDelay(Duration.ofMillis(300))
 *         .chunkDelay(Duration.ofMillis(20))
 *         .disconnectAfterChunks(3)
 *         .build());
 * }</pre>
 *
 * <p>A completion reply with neither text nor tool calls (such as {@code FakeReply.slowFirstByte(d)}) takes
 * its text, tool calls, and unless scripted its usage and finish reason, from the server's default reply, so
 * faults can be scripted without inventing an answer.
 */
public final class FakeReply {

  /** What kind of answer a reply is. */
  public enum Kind {
    /** A normal answer: a {@code chat.completion}, or a stream of chunks. */
    COMPLETION,
    /** An HTTP error status with an error body. */
    ERROR,
    /** Status 200 with a body that is not valid JSON (in a stream: one {@code data:} line that is not). */
    MALFORMED_JSON,
    /** The connection is closed after the request is read, before any byte of response. */
    CONNECTION_RESET
  }

  /** The finish reason of an answer without tool calls: {@value}. */
  public static final String DEFAULT_FINISH_REASON = "stop";
  /** The finish reason of an answer with tool calls: {@value}. */
  public static final String DEFAULT_TOOL_CALLS_FINISH_REASON = "tool_calls";
  /** How text and tool-call arguments are cut into stream chunks by default: {@link TextSplitter#words()}. */
  public static final TextSplitter DEFAULT_SPLITTER = TextSplitter.words();
  /** The pause between stream events by default: none. */
  public static final Duration DEFAULT_CHUNK_DELAY = Duration.ZERO;
  /** The wait before the response starts by default: none. */
  public static final Duration DEFAULT_FIRST_BYTE_DELAY = Duration.ZERO;
  /** What the built-in default reply says before the echoed user message: {@value}. */
  public static final String DEFAULT_ECHO_PREFIX = "Hello from FakeLlmServer. You said: ";
  /** What the built-in default reply says when the request has no user message: {@value}. */
  public static final String DEFAULT_ECHO_WITHOUT_USER_MESSAGE = "Hello from FakeLlmServer.";

  private final Kind kind;
  private final int status;
  private final @Nullable String text;
  private final List<FakeToolCall> toolCalls;
  private final @Nullable FakeUsage usage;
  private final @Nullable String finishReason;
  private final TextSplitter splitter;
  private final Duration chunkDelay;
  private final Duration firstByteDelay;
  private final @Nullable Integer disconnectAfterChunks;
  private final @Nullable String errorBody;
  private final Map<String, String> headers;

  private FakeReply(Builder builder) {
    this.kind = builder.kind;
    this.status = builder.status;
    this.text = builder.text;
    this.toolCalls = List.copyOf(builder.toolCalls);
    this.usage = builder.usage;
    this.finishReason = builder.finishReason;
    this.splitter = builder.splitter;
    this.chunkDelay = builder.chunkDelay;
    this.firstByteDelay = builder.firstByteDelay;
    this.disconnectAfterChunks = builder.disconnectAfterChunks;
    this.errorBody = builder.errorBody;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
  }

  /** A builder for a completion reply; call {@link Builder#error}, {@link Builder#malformedJson()} or
   * {@link Builder#connectionReset()} to make it a fault instead. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this reply's settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  // ---- answers ----

  /** An answer with this text, finish reason {@code stop}. */
  public static FakeReply text(String text) {
    return builder().text(text).build();
  }

  /** An answer calling one function, finish reason {@code tool_calls}. */
  public static FakeReply toolCall(String name, String argumentsJson) {
    return builder().toolCall(name, argumentsJson).build();
  }

  /** An answer calling several functions in parallel (stream indexes 0, 1, ...), finish reason
   * {@code tool_calls}. */
  public static FakeReply toolCalls(FakeToolCall... calls) {
    return builder().toolCalls(List.of(calls)).build();
  }

  /**
   * The built-in default reply: {@value #DEFAULT_ECHO_PREFIX} followed by the request's last user message,
   * or {@value #DEFAULT_ECHO_WITHOUT_USER_MESSAGE} when there is none.
   */
  public static FakeReply echo(CapturedRequest request) {
    String said = request.lastUserMessage();
    return text(said == null ? DEFAULT_ECHO_WITHOUT_USER_MESSAGE : DEFAULT_ECHO_PREFIX + said);
  }

  // ---- faults ----

  /** An HTTP error: this status (400 to 599) and body, sent as {@code application/json}. */
  public static FakeReply error(int status, String body) {
    return builder().error(status, body).build();
  }

  /**
   * OpenAI's 429 {@code rate_limit_exceeded}, with the headers {@code retry-after} (whole seconds, rounded
   * up) and {@code retry-after-ms}.
   */
  public static FakeReply rateLimited(Duration retryAfter) {
    requireNonNegative(retryAfter, "retryAfter");
    long millis = retryAfter.toMillis();
    long seconds = (millis + 999) / 1000;
    return builder()
        .error(429, OpenAiJson.errorBody("Rate limit reached for requests per min (RPM): Limit 3, Used 3,"
            + " Requested 1. Please try again in " + millis + "ms.", "requests", null, "rate_limit_exceeded"))
        .header("retry-after", Long.toString(seconds))
        .header("retry-after-ms", Long.toString(millis))
        .header("x-ratelimit-remaining-requests", "0")
        .build();
  }

  /** OpenAI's 429 {@code insufficient_quota}: a 429 that retrying does not fix. */
  public static FakeReply insufficientQuota() {
    return error(429, OpenAiJson.errorBody("You exceeded your current quota, please check your plan and"
        + " billing details.", "insufficient_quota", null, "insufficient_quota"));
  }

  /**
   * A server-side failure as OpenAI sends it: 500 {@code server_error}, 502 {@code cf_bad_gateway} (the
   * Cloudflare edge's body, with a numeric code) or 503 {@code server_error} "overloaded".
   *
   * @param status 500, 502 or 503
   */
  public static FakeReply serverError(int status) {
    String body = switch (status) {
      case 500 -> OpenAiJson.errorBody(
          "The server had an error while processing your request. Sorry about that!", "server_error", null,
          null);
      case 502 -> OpenAiJson.badGatewayBody();
      case 503 -> OpenAiJson.errorBody("The server is overloaded or not ready yet.", "server_error", null,
          null);
      default -> throw new IllegalArgumentException("status must be 500, 502 or 503, was " + status
          + "; use FakeReply.error(status, body) for others");
    };
    return error(status, body);
  }

  /** OpenAI's 400 {@code invalid_request_error} with this message. */
  public static FakeReply invalidRequest(String message) {
    return error(400, OpenAiJson.errorBody(message, "invalid_request_error", null, null));
  }

  /** OpenAI's 401 {@code invalid_api_key}. */
  public static FakeReply invalidApiKey() {
    return error(401, OpenAiJson.errorBody("Incorrect API key provided: sk-fake***. You can find your API key"
        + " at https://platform.openai.com/account/api-keys.", "invalid_request_error", null,
        "invalid_api_key"));
  }

  /** OpenAI's 400 {@code context_length_exceeded}. */
  public static FakeReply contextLengthExceeded() {
    return error(400, OpenAiJson.errorBody("This model's maximum context length is 128000 tokens. However,"
        + " your messages resulted in 130000 tokens. Please reduce the length of the messages.",
        "invalid_request_error", "messages", "context_length_exceeded"));
  }

  /**
   * The connection is closed right after the request is read, before any response. The client sees an
   * {@link java.io.IOException} (with OkHttp, "unexpected end of stream").
   *
   * <p>OkHttp retries such a request once, silently, when it went out on a pooled connection and
   * {@code retryOnConnectionFailure} is on (its default); the retry then takes the next reply.
   */
  public static FakeReply connectionReset() {
    return builder().connectionReset().build();
  }

  /**
   * The default answer, cut after {@code chunks} stream events (the first event is the one carrying the
   * role): the connection drops without {@code data: [DONE]}. On a blocking call the body is cut in half.
   */
  public static FakeReply disconnectAfterChunks(int chunks) {
    return builder().disconnectAfterChunks(chunks).build();
  }

  /**
   * Status 200 with a body that is not valid JSON (a {@code chat.completion} cut in half); in a stream, the
   * event after the first is a {@code data:} line with broken JSON, then {@code data: [DONE]}.
   */
  public static FakeReply malformedJson() {
    return builder().malformedJson().build();
  }

  /** The default answer, sent after {@code delay} (a slow time to first byte). */
  public static FakeReply slowFirstByte(Duration delay) {
    return builder().firstByteDelay(delay).build();
  }

  // ---- accessors ----

  /** What kind of answer this is. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status: 200, or the error's status. */
  public int status() {
    return status;
  }

  /** The answer's text, or null for none (then the default reply's text, unless there are tool calls). */
  public @Nullable String text() {
    return text;
  }

  /** The function calls, in order; empty for none. */
  public List<FakeToolCall> toolCalls() {
    return toolCalls;
  }

  /** The reported usage, or null to report an estimate. */
  public @Nullable FakeUsage usage() {
    return usage;
  }

  /** The finish reason, or null for {@value #DEFAULT_FINISH_REASON} (or
   * {@value #DEFAULT_TOOL_CALLS_FINISH_REASON} with tool calls). */
  public @Nullable String finishReason() {
    return finishReason;
  }

  /** How text and tool-call arguments are cut into stream chunks. */
  public TextSplitter splitter() {
    return splitter;
  }

  /** The pause between stream events. */
  public Duration chunkDelay() {
    return chunkDelay;
  }

  /** The wait before the response starts. */
  public Duration firstByteDelay() {
    return firstByteDelay;
  }

  /** After how many stream events the connection drops, or null to finish normally. */
  public @Nullable Integer disconnectAfterChunks() {
    return disconnectAfterChunks;
  }

  /** The error body of an {@link Kind#ERROR} reply, else null. */
  public @Nullable String errorBody() {
    return errorBody;
  }

  /** Extra response headers, names in lower case. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Whether this is a completion with scripted text or tool calls (else it borrows the default reply's). */
  public boolean hasContent() {
    return text != null || !toolCalls.isEmpty();
  }

  @Override
  public String toString() {
    return switch (kind) {
      case COMPLETION -> "FakeReply[" + (text != null ? "text=" + text.length() + " chars, " : "")
          + (toolCalls.isEmpty() ? "" : "toolCalls=" + toolCalls.size() + ", ")
          + (disconnectAfterChunks != null ? "disconnectAfterChunks=" + disconnectAfterChunks + ", " : "")
          + "firstByteDelay=" + firstByteDelay + ", chunkDelay=" + chunkDelay + "]";
      case ERROR -> "FakeReply[error " + status + "]";
      case MALFORMED_JSON -> "FakeReply[malformed JSON]";
      case CONNECTION_RESET -> "FakeReply[connection reset]";
    };
  }

  private static Duration requireNonNegative(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + duration);
    }
    return duration;
  }

  /**
   * Builds a {@link FakeReply}. A reply is one kind of thing: settings that contradict its kind (text on an
   * error, a disconnect on a connection reset) are rejected by {@link #build()}.
   *
   * <pre>{@code
   * FakeReply reply = FakeReply.builder()
   *     .text("Let me check.")
   *     .toolCall("get_weather", "{\"city\": \"Paris\"}")
   *     .usage(FakeUsage.of(42, 17))
   *     .chunkDelay(Duration.ofMillis(10))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private Kind kind = Kind.COMPLETION;
    private int status = 200;
    private @Nullable String text;
    private final List<FakeToolCall> toolCalls = new ArrayList<>();
    private @Nullable FakeUsage usage;
    private @Nullable String finishReason;
    private TextSplitter splitter = DEFAULT_SPLITTER;
    private Duration chunkDelay = DEFAULT_CHUNK_DELAY;
    private Duration firstByteDelay = DEFAULT_FIRST_BYTE_DELAY;
    private @Nullable Integer disconnectAfterChunks;
    private @Nullable String errorBody;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {
    }

    private Builder(FakeReply reply) {
      kind = reply.kind;
      status = reply.status;
      text = reply.text;
      toolCalls.addAll(reply.toolCalls);
      usage = reply.usage;
      finishReason = reply.finishReason;
      splitter = reply.splitter;
      chunkDelay = reply.chunkDelay;
      firstByteDelay = reply.firstByteDelay;
      disconnectAfterChunks = reply.disconnectAfterChunks;
      errorBody = reply.errorBody;
      headers.putAll(reply.headers);
    }

    /** The answer's text (may be empty). Defaults to none: the default reply's text, unless there are tool
     * calls. */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /** Adds a function call with a generated id. */
    public Builder toolCall(String name, String argumentsJson) {
      return toolCall(FakeToolCall.of(name, argumentsJson));
    }

    /** Adds a function call. Defaults to none. */
    public Builder toolCall(FakeToolCall call) {
      toolCalls.add(Objects.requireNonNull(call, "call"));
      return this;
    }

    /** Adds function calls, in order. */
    public Builder toolCalls(List<FakeToolCall> calls) {
      calls.forEach(this::toolCall);
      return this;
    }

    /** The usage to report. Defaults to an estimate: the words of the prompt's messages and of the answer. */
    public Builder usage(FakeUsage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** The usage to report: these prompt and completion tokens. */
    public Builder usage(int promptTokens, int completionTokens) {
      return usage(FakeUsage.of(promptTokens, completionTokens));
    }

    /** The raw finish reason to send, such as {@code length} or {@code content_filter}. Defaults to
     * {@value #DEFAULT_FINISH_REASON}, or {@value #DEFAULT_TOOL_CALLS_FINISH_REASON} with tool calls. */
    public Builder finishReason(String finishReason) {
      this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
      return this;
    }

    /** How text and tool-call arguments are cut into stream chunks. Defaults to {@link #DEFAULT_SPLITTER},
     * a word per chunk. */
    public Builder splitter(TextSplitter splitter) {
      this.splitter = Objects.requireNonNull(splitter, "splitter");
      return this;
    }

    /** The pause between consecutive stream events, a real wait on the server's connection thread that
     * does not hold up other connections. Ignored by blocking calls. Defaults to
     * {@link #DEFAULT_CHUNK_DELAY}, none. */
    public Builder chunkDelay(Duration delay) {
      this.chunkDelay = requireNonNegative(delay, "chunkDelay");
      return this;
    }

    /** The wait after the request is read and before the response starts (for every kind of reply).
     * Defaults to {@link #DEFAULT_FIRST_BYTE_DELAY}, none. */
    public Builder firstByteDelay(Duration delay) {
      this.firstByteDelay = requireNonNegative(delay, "firstByteDelay");
      return this;
    }

    /** Drops the connection after this many stream events (0 for right after the headers), without
     * {@code data: [DONE]}; a blocking call gets half its body. Defaults to none: the answer completes. */
    public Builder disconnectAfterChunks(int chunks) {
      if (chunks < 0) {
        throw new IllegalArgumentException("chunks must not be negative, was " + chunks);
      }
      this.disconnectAfterChunks = chunks;
      return this;
    }

    /** Adds a response header (replacing one of the same name). Defaults to none beyond
     * {@code content-type}, {@code x-request-id} and {@code openai-processing-ms}. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      headers.put(name.toLowerCase(Locale.ROOT), value);
      return this;
    }

    /** Makes this an HTTP error with this status (400 to 599) and body. */
    public Builder error(int status, String body) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("an error status is 400 to 599, was " + status);
      }
      becomes(Kind.ERROR);
      this.status = status;
      this.errorBody = Objects.requireNonNull(body, "body");
      return this;
    }

    /** Makes this a 200 whose body is not valid JSON. */
    public Builder malformedJson() {
      becomes(Kind.MALFORMED_JSON);
      return this;
    }

    /** Makes this a connection closed before any response. */
    public Builder connectionReset() {
      becomes(Kind.CONNECTION_RESET);
      return this;
    }

    private void becomes(Kind next) {
      if (kind != Kind.COMPLETION && kind != next) {
        throw new IllegalStateException("this reply is already a " + kind + " reply; it cannot also be "
            + next);
      }
      kind = next;
    }

    /**
     * The reply.
     *
     * @throws IllegalStateException when the settings contradict the reply's kind
     */
    public FakeReply build() {
      if (kind != Kind.COMPLETION) {
        List<String> contradictions = new ArrayList<>();
        if (text != null) {
          contradictions.add("text");
        }
        if (!toolCalls.isEmpty()) {
          contradictions.add("tool calls");
        }
        if (usage != null) {
          contradictions.add("usage");
        }
        if (finishReason != null) {
          contradictions.add("a finish reason");
        }
        if (disconnectAfterChunks != null) {
          contradictions.add("disconnectAfterChunks");
        }
        if (kind == Kind.CONNECTION_RESET && !headers.isEmpty()) {
          contradictions.add("headers");
        }
        if (!contradictions.isEmpty()) {
          throw new IllegalStateException("a " + kind + " reply cannot have " + String.join(", ",
              contradictions));
        }
      }
      return new FakeReply(this);
    }
  }
}

package dev.llmgateway.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.llmgateway.testkit.CapturedRequest;
import dev.llmgateway.testkit.FakeReply;
import dev.llmgateway.testkit.FakeToolCall;
import dev.llmgateway.testkit.FakeUsage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.ByteString;

/**
 * Answers each HTTP request of {@link dev.llmgateway.testkit.FakeLlmServer}: records it, then serves
 * {@code POST .../chat/completions} from the {@link ReplyQueue}, {@code GET .../models} with the fake model,
 * and anything else with OpenAI's 404.
 *
 * <p>MockWebServer calls {@link #dispatch} on the thread of the request's connection, so a scripted delay
 * here, or in the body it returns, holds up that connection only.
 */
public final class ChatCompletionsDispatcher extends Dispatcher {

  private static final String JSON = "application/json";
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

  private final ReplyQueue replies;
  private final RequestLog log;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final String defaultModel;
  private final CountDownLatch closing;
  private final AtomicLong sequence = new AtomicLong();

  public ChatCompletionsDispatcher(ReplyQueue replies, RequestLog log, ObjectMapper mapper, Clock clock,
      String defaultModel, CountDownLatch closing) {
    this.replies = replies;
    this.log = log;
    this.mapper = mapper;
    this.clock = clock;
    this.defaultModel = defaultModel;
    this.closing = closing;
  }

  @Override
  public MockResponse dispatch(RecordedRequest recorded) throws InterruptedException {
    CapturedRequest request = capture(sequence.incrementAndGet(), recorded);
    log.add(request);
    try {
      return respond(request);
    } catch (RuntimeException e) {
      // A failing reply function must show up in the test, not as a silently dropped connection.
      return json(request, 500, OpenAiJson.errorBody("FakeLlmServer could not build its reply: " + e,
          "fake_server_error", null, null)).build();
    }
  }

  private CapturedRequest capture(long number, RecordedRequest recorded) {
    ByteString bytes = recorded.getBody();
    String body = bytes == null ? "" : bytes.utf8();
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      json = MissingNode.getInstance();
    }
    return new CapturedRequest(number, recorded.getMethod(), recorded.getUrl().encodedPath(),
        recorded.getHeaders().toMultimap(), body, json == null ? MissingNode.getInstance() : json);
  }

  private MockResponse respond(CapturedRequest request) throws InterruptedException {
    if (request.isChatCompletion() && request.method().equals("POST")) {
      if (!request.json().isObject()) {
        return json(request, 400, OpenAiJson.errorBody("We could not parse the JSON body of your request."
            + " The OpenAI API expects a JSON payload, but what was sent was not valid JSON.",
            "invalid_request_error", null, null)).build();
      }
      return reply(request, replies.next(request));
    }
    if (request.path().endsWith("/models") && request.method().equals("GET")) {
      return json(request, 200, OpenAiJson.modelList(defaultModel, clock.instant().getEpochSecond())).build();
    }
    return json(request, 404, OpenAiJson.errorBody("Invalid URL (" + request.method() + " " + request.path()
        + ")", "invalid_request_error", null, null)).build();
  }

  private MockResponse reply(CapturedRequest request, FakeReply reply) throws InterruptedException {
    if (!await(reply.firstByteDelay())) {
      return closeConnection();
    }
    switch (reply.kind()) {
      case CONNECTION_RESET:
        return closeConnection();
      case ERROR:
        return withHeaders(json(request, reply.status(), String.valueOf(reply.errorBody())), reply).build();
      case MALFORMED_JSON:
        return malformed(request, reply, answer(request, FakeReply.echo(request)));
      case COMPLETION:
      default:
        return completion(request, reply, answer(request, reply));
    }
  }

  private MockResponse completion(CapturedRequest request, FakeReply reply, OpenAiJson.Answer answer) {
    Integer disconnectAfter = reply.disconnectAfterChunks();
    if (!request.stream()) {
      MockResponse.Builder response = json(request, 200, OpenAiJson.completion(answer));
      if (disconnectAfter != null) {
        response.onResponseBody(new SocketEffect.CloseSocket()); // MockWebServer cuts the body in half
      }
      return withHeaders(response, reply).build();
    }
    List<String> events = new ArrayList<>(OpenAiJson.chunks(answer, request.includeUsage()));
    if (disconnectAfter != null) {
      EventStream stream = new EventStream(events, reply.chunkDelay(), closing);
      return withHeaders(eventStream(request), reply)
          .socketHandler(stream.truncated(disconnectAfter))
          .onResponseEnd(new SocketEffect.CloseSocket())
          .build();
    }
    events.add("[DONE]");
    return streamOf(request, reply, events);
  }

  private MockResponse malformed(CapturedRequest request, FakeReply reply, OpenAiJson.Answer answer) {
    if (!request.stream()) {
      String whole = OpenAiJson.completion(answer);
      return withHeaders(json(request, 200, whole.substring(0, whole.length() / 2)), reply).build();
    }
    List<String> chunks = OpenAiJson.chunks(answer, false);
    String second = chunks.get(1);
    return streamOf(request, reply, List.of(chunks.get(0), second.substring(0, second.length() / 2), "[DONE]"));
  }

  private MockResponse streamOf(CapturedRequest request, FakeReply reply, List<String> events) {
    EventStream stream = new EventStream(events, reply.chunkDelay(), closing);
    MockResponse.Builder response = eventStream(request).body(stream.complete());
    // body() announces the body's length; this one is chunked
    response.removeHeader("Content-Length").setHeader("Transfer-Encoding", "chunked");
    return withHeaders(response, reply).build();
  }

  private OpenAiJson.Answer answer(CapturedRequest request, FakeReply reply) {
    String model = request.model() == null ? defaultModel : request.model();
    List<FakeToolCall> calls = new ArrayList<>();
    for (int i = 0; i < reply.toolCalls().size(); i++) {
      FakeToolCall call = reply.toolCalls().get(i);
      calls.add(call.id() != null ? call
          : new FakeToolCall("call_fake_" + request.sequence() + "_" + i, call.name(), call.arguments()));
    }
    String finishReason = reply.finishReason() != null ? reply.finishReason()
        : calls.isEmpty() ? FakeReply.DEFAULT_FINISH_REASON : FakeReply.DEFAULT_TOOL_CALLS_FINISH_REASON;
    FakeUsage usage = reply.usage() != null ? reply.usage()
        : OpenAiJson.estimateUsage(request, reply.text(), calls);
    return new OpenAiJson.Answer("chatcmpl-fake-" + request.sequence(), clock.instant().getEpochSecond(),
        model, reply.text(), calls, finishReason, usage, reply.splitter());
  }

  private MockResponse.Builder json(CapturedRequest request, int status, String body) {
    return common(request, status).setHeader("Content-Type", JSON).body(body);
  }

  private MockResponse.Builder eventStream(CapturedRequest request) {
    return common(request, 200)
        .setHeader("Content-Type", EVENT_STREAM)
        .removeHeader("Content-Length")
        .setHeader("Transfer-Encoding", "chunked")
        .setHeader("Cache-Control", "no-cache");
  }

  private static MockResponse.Builder common(CapturedRequest request, int status) {
    return new MockResponse.Builder()
        .code(status)
        .setHeader("x-request-id", "req_fake_" + request.sequence())
        .setHeader("openai-processing-ms", "0");
  }

  private static MockResponse.Builder withHeaders(MockResponse.Builder response, FakeReply reply) {
    for (Map.Entry<String, String> header : reply.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    return response;
  }

  private static MockResponse closeConnection() {
    return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
  }

  /** Waits {@code delay}; false when the server started closing meanwhile. */
  private boolean await(Duration delay) throws InterruptedException {
    return delay.isZero() || !closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}

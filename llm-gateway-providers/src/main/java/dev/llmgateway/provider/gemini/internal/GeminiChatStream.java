package dev.llmgateway.provider.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.provider.internal.http.HttpChatStream;
import dev.llmgateway.provider.internal.sse.SseEvent;
import dev.llmgateway.provider.internal.sse.SseParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * A Gemini {@code streamGenerateContent?alt=sse} stream: {@code data:} events each holding a
 * {@code GenerateContentResponse} with only the new parts, and no terminal event: the stream ends when
 * the connection closes.
 *
 * <p>Mapping of candidate 0, part by part, as {@link GeminiResponseDecoder} does for whole answers:
 * text to {@link ChatChunk.TextDelta}; a thought part to {@link ChatChunk.ThinkingDelta}; each
 * {@code functionCall} to one whole {@link ChatChunk.ToolCallDelta} (index = the running count of
 * calls, id = the call's {@code id} or {@code call_<index>}); a {@code thoughtSignature} on a non-thought
 * part to a {@link ChatChunk.ThinkingDelta} with empty text right after that part's chunk. Vertex's
 * streamed arguments ({@code partialArgs}) are assembled by {@link StreamedArguments} and the call is
 * emitted whole when it closes. {@code usageMetadata} is cumulative: a {@link ChatChunk.UsageUpdate} is
 * emitted whenever it changes. The {@code finishReason} is remembered and emitted once, as the last
 * {@link ChatChunk.Finish}, when the body ends ({@code STOP} with function calls anywhere in the stream
 * is {@link dev.llmgateway.FinishReason#TOOL_CALLS}).
 *
 * <p>End and errors: the end of the body after a chunk with a {@code finishReason} completes the stream;
 * without one it is a {@link dev.llmgateway.error.StreamInterruptedException} saying no
 * {@code finishReason} arrived. An event holding {@code {"error": ...}}, or a bare JSON error object
 * written into the body outside the SSE framing (which a plain SSE parser drops silently, so this class
 * reads the body itself, feeding one {@link SseParser} and one {@link BareJsonCapture}), is thrown as
 * the exception {@link GeminiErrorDecoder} maps it to, after the events before it were delivered. A
 * blocked prompt (no candidates, {@code promptFeedback.blockReason}) is a
 * {@link dev.llmgateway.error.ContentFilteredException}.
 */
public final class GeminiChatStream extends HttpChatStream {
  private static final int BUFFER_SIZE = 8192;

  private final BufferedSource source;
  private final SseParser parser = new SseParser();
  private final BareJsonCapture capture = new BareJsonCapture();
  private final ArrayDeque<SseEvent> events = new ArrayDeque<>();
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private boolean endOfBody;

  private final ObjectMapper mapper;
  private final GeminiErrorDecoder errors;
  private final GeminiResponseDecoder decoder;
  private final String requestedModel;

  private int eventsSeen;
  private int calls;
  private @Nullable String finishRaw;
  private @Nullable StreamedArguments pending;
  private @Nullable Usage lastUsage;
  private @Nullable String responseId;

  /**
   * @param call the call that produced {@code response}
   * @param response a successful response whose body is the event stream
   * @param context the call's context
   * @param errorContext provider, model and status for the exceptions this stream throws
   * @param mapper parses events
   * @param errors maps error objects
   * @param requestedModel the model asked for, reported when the stream names none
   */
  public GeminiChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext, ObjectMapper mapper, GeminiErrorDecoder errors,
      String requestedModel) {
    super(call, response, context, errorContext);
    this.source = response.body().source();
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.decoder = new GeminiResponseDecoder(mapper, errors);
    this.requestedModel = Objects.requireNonNull(requestedModel, "requestedModel");
  }

  @Override
  protected boolean readNext() throws IOException {
    while (events.isEmpty()) {
      String bare = capture.takeComplete();
      if (bare != null) {
        throw bareObject(bare);
      }
      if (endOfBody) {
        return false;
      }
      int n = source.read(buffer, 0, buffer.length);
      if (n < 0) {
        endOfBody = true;
        parser.finish(events::add);
        capture.finish();
      } else {
        parser.feed(buffer, 0, n, events::add);
        capture.feed(buffer, 0, n);
      }
    }
    onEvent(events.poll());
    return true;
  }

  private void onEvent(SseEvent event) {
    String data = event.data();
    if (data.isBlank()) {
      return;
    }
    JsonNode chunk;
    try {
      chunk = mapper.readTree(data);
    } catch (IOException e) {
      throw new MalformedResponseException("a stream event of " + provider()
          + " is not valid JSON (" + data.length() + " chars)", errorContext(), e);
    }
    if (chunk == null || !chunk.isObject()) {
      throw new MalformedResponseException("a stream event of " + provider()
          + " is not a JSON object", errorContext(), null);
    }
    if (GeminiErrorDecoder.isError(chunk)) {
      throw errors.fromStreamError(chunk, errorContextWithResponseId());
    }
    eventsSeen++;
    String id = GeminiResponseDecoder.text(chunk.get("responseId"));
    if (id != null && !id.isEmpty()) {
      responseId = id;
    }
    String modelVersion = GeminiResponseDecoder.text(chunk.get("modelVersion"));
    emitStart(responseId, modelVersion != null ? modelVersion : requestedModel);
    JsonNode candidate = GeminiResponseDecoder.candidateZero(chunk);
    if (candidate == null) {
      if (chunk.path("promptFeedback").has("blockReason")) {
        throw GeminiResponseDecoder.blockedOrEmpty(chunk, provider(), errorContextWithResponseId());
      }
    } else {
      for (JsonNode part : candidate.path("content").path("parts")) {
        onPart(part);
      }
      String raw = GeminiResponseDecoder.text(candidate.get("finishReason"));
      if (raw != null && !raw.isEmpty()) {
        finishRaw = raw;
      }
    }
    Usage usage = GeminiResponseDecoder.usage(chunk.get("usageMetadata"));
    if (usage != null && !usage.equals(lastUsage)) {
      lastUsage = usage;
      emit(new ChatChunk.UsageUpdate(usage));
    }
  }

  private void onPart(JsonNode part) {
    String signature = GeminiResponseDecoder.text(part.get("thoughtSignature"));
    JsonNode functionCall = part.get("functionCall");
    if (functionCall != null && functionCall.isObject()) {
      onFunctionCall(functionCall, signature);
    } else if (part.path("thought").asBoolean(false)) {
      String text = part.path("text").asText("");
      if (!text.isEmpty() || signature != null) {
        emit(new ChatChunk.ThinkingDelta(text, signature, false));
      }
    } else if (part.has("text")) {
      String text = part.path("text").asText("");
      if (!text.isEmpty()) {
        emit(new ChatChunk.TextDelta(text));
      }
      emitSignature(signature);
    }
  }

  private void onFunctionCall(JsonNode functionCall, @Nullable String signature) {
    String name = GeminiResponseDecoder.text(functionCall.get("name"));
    String id = GeminiResponseDecoder.text(functionCall.get("id"));
    JsonNode args = functionCall.get("args");
    JsonNode partialArgs = functionCall.get("partialArgs");
    boolean willContinue = functionCall.path("willContinue").asBoolean(false);
    boolean hasName = name != null && !name.isBlank();
    if (pending != null) {
      if (partialArgs != null && partialArgs.isArray() && !hasName) {
        applyPartial(pending, partialArgs);
        return;
      }
      if (!hasName && args == null) {
        if (!willContinue) {
          closePending(); // an empty functionCall closes a streamed call
        }
        return;
      }
      closePending(); // a new call begins
    }
    if (!hasName) {
      return; // an empty functionCall with no call open: nothing to do
    }
    if (willContinue && args == null) {
      StreamedArguments opened = new StreamedArguments(mapper, name, id, signature);
      if (partialArgs != null && partialArgs.isArray()) {
        applyPartial(opened, partialArgs);
      }
      pending = opened;
      return;
    }
    emitCall(id, name, decoder.argumentsJson(args), signature);
  }

  private void applyPartial(StreamedArguments call, JsonNode partialArgs) {
    try {
      call.apply(partialArgs);
    } catch (IllegalArgumentException e) {
      throw new MalformedResponseException("the streamed arguments of a call to '" + call.name()
          + "' from " + provider() + " cannot be assembled: " + e.getMessage(), errorContext(), e);
    }
  }

  private void closePending() {
    StreamedArguments call = Objects.requireNonNull(pending, "pending");
    pending = null;
    emitCall(call.id(), call.name(), call.json(), call.signature());
  }

  private void emitCall(@Nullable String id, String name, String arguments,
      @Nullable String signature) {
    int index = calls++;
    emit(new ChatChunk.ToolCallDelta(index,
        id != null && !id.isEmpty() ? id : GeminiResponseDecoder.syntheticId(index), name, arguments));
    emitSignature(signature);
  }

  private void emitSignature(@Nullable String signature) {
    if (signature != null && !signature.isEmpty()) {
      emit(new ChatChunk.ThinkingDelta("", signature, false));
    }
  }

  @Override
  protected void endOfInput() {
    if (capture.hasPartial()) {
      throw new MalformedResponseException("the stream of " + provider()
          + " ended inside a JSON object written outside its events (a cut-off error?)",
          errorContextWithResponseId(), null);
    }
    if (pending != null) {
      closePending();
    }
    if (finishRaw == null) {
      throw interrupted("stream from " + provider() + " ended without a finishReason ("
          + (eventsSeen == 0 ? "no events arrived" : eventsSeen + " events arrived") + ")");
    }
    emit(new ChatChunk.Finish(GeminiResponseDecoder.finishReason(finishRaw, calls > 0), finishRaw));
    complete();
  }

  private LlmException bareObject(String json) {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (IOException e) {
      node = null;
    }
    if (node != null && node.isObject() && GeminiErrorDecoder.isError(node)) {
      return errors.fromStreamError(node, errorContextWithResponseId());
    }
    return new MalformedResponseException("the stream of " + provider() + " holds a JSON object"
        + " outside its data: events that is not an error (was the body sent without alt=sse?)",
        errorContextWithResponseId(), null);
  }

  private ErrorContext errorContextWithResponseId() {
    ErrorContext base = errorContext();
    return responseId != null && base.requestId() == null ? base.withRequestId(responseId) : base;
  }

  private String provider() {
    String p = errorContext().provider();
    return p != null ? p : "gemini";
  }
}

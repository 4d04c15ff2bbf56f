package dev.llmgateway.provider.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ContentPart;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.provider.internal.http.HttpChatStream;
import dev.llmgateway.provider.internal.ndjson.NdjsonReader;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * An Ollama {@code /api/chat} stream: newline-delimited JSON, one object per line, read with
 * {@link NdjsonReader}. Each line is checked for {@code error} first, then:
 *
 * <ul>
 *   <li>the first line's {@code model} goes into the {@link ChatChunk.Start} (with the provider name and
 *       the {@code x-request-id} header, if a proxy added one; Ollama has no response id);
 *   <li>{@code message.thinking} becomes a {@link ChatChunk.ThinkingDelta}, {@code message.content} a
 *       {@link ChatChunk.TextDelta} (empty strings are skipped), and each of {@code message.tool_calls} a
 *       whole {@link ChatChunk.ToolCallDelta}: Ollama sends calls complete, so one delta carries a
 *       running index (0, 1, ... across the stream), the id (the server's, else {@code call_<index>}),
 *       the name and the serialized arguments;
 *   <li>the line with {@code done: true} gives a {@link ChatChunk.Finish} (mapped as in
 *       {@link OllamaResponseDecoder#finishReason}, {@code TOOL_CALLS} when any tool call was streamed)
 *       and a {@link ChatChunk.UsageUpdate} ({@code prompt_eval_count}, {@code eval_count}), and ends
 *       the stream; anything after it is not read;
 *   <li>a line with {@code error} is thrown from {@code next()} as the mapped exception
 *       ({@link OllamaErrorDecoder#fromStreamError}); a line in the {@code /api/generate} shape
 *       ({@code response} instead of {@code message}) is a {@link MalformedResponseException}; other
 *       lines without a message are skipped.
 * </ul>
 *
 * <p>A body that ends before the {@code done: true} line, including one cut in the middle of a line, is a
 * {@link dev.llmgateway.error.StreamInterruptedException} saying so.
 */
public final class OllamaChatStream extends HttpChatStream {
  private final ObjectMapper mapper;
  private final OllamaErrorDecoder errors;
  private final OllamaResponseDecoder decoder;
  private final BufferedSource source;
  private final NdjsonReader reader;
  private int toolCalls;

  public OllamaChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext, ObjectMapper mapper, OllamaErrorDecoder errors,
      OllamaResponseDecoder decoder) {
    super(call, response, context, errorContext);
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.source = response.body().source();
    this.reader = new NdjsonReader(source);
  }

  @Override
  protected boolean readNext() throws IOException {
    String line = reader.nextLine();
    if (line == null) {
      return false;
    }
    JsonNode payload;
    try {
      payload = mapper.readTree(line);
    } catch (IOException e) {
      if (source.exhausted()) {
        // the last line has no end: the connection closed in the middle of an object
        throw interrupted("stream from " + provider() + " ended in the middle of a line, before the"
            + " done:true line");
      }
      throw new MalformedResponseException("a stream line of " + provider() + " is not valid JSON ("
          + line.length() + " chars)", errorContext(), e);
    }
    if (payload == null || !payload.isObject()) {
      throw new MalformedResponseException("a stream line of " + provider()
          + " is not a JSON object", errorContext(), null);
    }
    onLine(payload);
    return true;
  }

  private void onLine(JsonNode line) {
    if (OllamaErrorDecoder.errorMessage(line) != null) {
      throw errors.fromStreamError(line, errorContext());
    }
    JsonNode message = line.get("message");
    boolean hasMessage = message != null && message.isObject();
    boolean done = line.path("done").asBoolean(false);
    if (!hasMessage && !done && line.has("response")) {
      throw OllamaResponseDecoder.notChat(line, provider(), errorContext());
    }
    String model = OllamaResponseDecoder.text(line.get("model"));
    emitStart(null, model != null && !model.isBlank() ? model : null);
    if (hasMessage) {
      String thinking = OllamaResponseDecoder.text(message.get("thinking"));
      if (thinking != null && !thinking.isEmpty()) {
        emit(new ChatChunk.ThinkingDelta(thinking, null, false));
      }
      String content = OllamaResponseDecoder.text(message.get("content"));
      if (content != null && !content.isEmpty()) {
        emit(new ChatChunk.TextDelta(content));
      }
      JsonNode calls = message.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          ContentPart.ToolCall c = decoder.toolCall(call, toolCalls, provider(), errorContext());
          emit(new ChatChunk.ToolCallDelta(toolCalls, c.id(), c.name(), c.arguments()));
          toolCalls++;
        }
      }
    }
    if (done) {
      String raw = OllamaResponseDecoder.text(line.get("done_reason"));
      emit(new ChatChunk.Finish(OllamaResponseDecoder.finishReason(raw, toolCalls > 0), raw));
      emit(new ChatChunk.UsageUpdate(OllamaResponseDecoder.usage(line)));
      complete();
    }
  }

  @Override
  protected void endOfInput() {
    throw interrupted("stream from " + provider() + " ended before the done:true line");
  }

  private String provider() {
    String p = errorContext().provider();
    return p != null ? p : "ollama";
  }
}

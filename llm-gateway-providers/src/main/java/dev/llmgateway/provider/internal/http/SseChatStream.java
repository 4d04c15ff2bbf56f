package dev.llmgateway.provider.internal.http;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.provider.internal.sse.SseEvent;
import dev.llmgateway.provider.internal.sse.SseReader;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;

/**
 * An {@link HttpChatStream} whose body is {@code text/event-stream}: each pull decodes one Server-Sent
 * Event with {@link SseReader} and hands it to {@link #onEvent}. Adapters of SSE providers extend it and
 * only map events to chunks.
 */
public abstract class SseChatStream extends HttpChatStream {
  private final SseReader reader;

  protected SseChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext) {
    super(call, response, context, errorContext);
    this.reader = new SseReader(response.body().source());
  }

  /** Maps one event to chunks ({@link #emit}), or ends the stream ({@link #complete()}). */
  protected abstract void onEvent(SseEvent event);

  /**
   * Whether the body has ended. An event decoded after that may be the unterminated tail of a cut-off
   * stream: treat a payload that then fails to parse as an interruption, not as a malformed response.
   */
  protected final boolean inputEnded() {
    return reader.endOfInput();
  }

  @Override
  protected final boolean readNext() throws IOException {
    SseEvent event = reader.next();
    if (event == null) {
      return false;
    }
    onEvent(event);
    return true;
  }
}

package dev.llmgateway.provider.bedrock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.provider.internal.http.HttpChatStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * A Bedrock {@code ConverseStream} answer: binary event-stream messages (read by
 * {@link EventStreamReader}), each an event named by its {@code :event-type} header with a JSON payload
 * that may carry a random {@code p} padding field (ignored).
 *
 * <ul>
 *   <li>the first message: the {@link ChatChunk.Start} (the model asked for, the
 *       {@code x-amzn-RequestId} header); {@code messageStart} adds nothing else;
 *   <li>{@code contentBlockStart} with {@code start.toolUse}: a {@link ChatChunk.ToolCallDelta} with the
 *       {@code contentBlockIndex} as its index, the {@code toolUseId}, the name and {@code ""};
 *   <li>{@code contentBlockDelta}: {@code delta.text} to {@link ChatChunk.TextDelta};
 *       {@code delta.toolUse.input} (a string fragment of the input JSON) to a
 *       {@link ChatChunk.ToolCallDelta} with the block index; {@code delta.reasoningContent.text} to a
 *       {@link ChatChunk.ThinkingDelta}, {@code .signature} to a {@link ChatChunk.ThinkingDelta} with empty
 *       text and the signature, {@code .redactedContent} to a redacted {@link ChatChunk.ThinkingDelta};
 *       empty text is skipped;
 *   <li>{@code contentBlockStop}: nothing;
 *   <li>{@code messageStop}: {@link ChatChunk.Finish} from {@code stopReason} (raw value kept);
 *   <li>{@code metadata}: {@link ChatChunk.UsageUpdate} from {@code usage} (see
 *       {@link BedrockResponseDecoder#usage}); {@code metrics} and {@code trace} are ignored;
 *   <li>unknown events: ignored.
 * </ul>
 *
 * <p>When the stream is complete: Bedrock sends {@code metadata}, with the usage, <em>after</em>
 * {@code messageStop}, so the stream is complete once both {@code messageStop} and {@code metadata}
 * have arrived (in either order), or when the body ends after {@code messageStop} (usage then stays
 * unknown). A body that ends before {@code messageStop}, between frames or inside one, is a
 * {@link dev.llmgateway.error.StreamInterruptedException}.
 *
 * <p>Errors: a message whose {@code :message-type} is {@code exception} ({@code :exception-type}
 * {@code throttlingException}, {@code validationException}, {@code modelStreamErrorException},
 * {@code internalServerException}, {@code serviceUnavailableException}...) or {@code error}
 * ({@code :error-code}, {@code :error-message}) is thrown from {@code next()} as the exception
 * {@link BedrockErrorDecoder#fromStreamException} maps it to. A frame whose CRC does not match, or that
 * is otherwise malformed, and an event payload that is not a JSON object, are a
 * {@link MalformedResponseException}.
 */
public final class BedrockChatStream extends HttpChatStream {
  private final EventStreamReader reader;
  private final ObjectMapper mapper;
  private final BedrockErrorDecoder errors;
  private final String model;
  private boolean sawMessageStop;
  private boolean sawMetadata;

  /**
   * @param model the model asked for, reported in the {@link ChatChunk.Start} (the wire names none)
   */
  public BedrockChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext, ObjectMapper mapper, BedrockErrorDecoder errors, String model) {
    super(call, response, context, errorContext);
    this.reader = new EventStreamReader(response.body().source());
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.model = Objects.requireNonNull(model, "model");
  }

  @Override
  protected boolean readNext() throws IOException {
    EventStreamMessage message;
    try {
      message = reader.next();
    } catch (EOFException e) {
      throw interrupted("stream from " + errorContext().provider()
          + " ended in the middle of an event-stream frame");
    } catch (EventStreamFormatException e) {
      throw new MalformedResponseException("the event stream of " + errorContext().provider()
          + " is corrupt: " + e.getMessage(), errorContext(), e);
    }
    if (message == null) {
      return false;
    }
    onMessage(message);
    return true;
  }

  private void onMessage(EventStreamMessage message) {
    String messageType = message.stringHeader(EventStreamMessage.MESSAGE_TYPE);
    if ("exception".equals(messageType)) {
      throw errors.fromStreamException(message.stringHeader(EventStreamMessage.EXCEPTION_TYPE),
          message.payload(), null, errorContext());
    }
    if ("error".equals(messageType)) {
      throw errors.fromStreamException(message.stringHeader(EventStreamMessage.ERROR_CODE),
          message.payload(), message.stringHeader(EventStreamMessage.ERROR_MESSAGE), errorContext());
    }
    if (messageType != null && !"event".equals(messageType)) {
      return; // a message type added after this adapter was written
    }
    emitStart(null, model);
    String eventType = message.stringHeader(EventStreamMessage.EVENT_TYPE);
    if (eventType == null) {
      return;
    }
    switch (eventType) {
      case "messageStart" -> {
        // the role is always assistant; the Start chunk is already out
      }
      case "contentBlockStart" -> onBlockStart(payload(message, eventType));
      case "contentBlockDelta" -> onBlockDelta(payload(message, eventType));
      case "contentBlockStop" -> {
        // blocks are told apart by index; nothing to close
      }
      case "messageStop" -> onMessageStop(payload(message, eventType));
      case "metadata" -> onMetadata(payload(message, eventType));
      default -> {
        // event types added after this adapter was written
      }
    }
  }

  private void onBlockStart(JsonNode payload) {
    JsonNode toolUse = payload.path("start").get("toolUse");
    if (toolUse == null || !toolUse.isObject()) {
      return;
    }
    String name = BedrockResponseDecoder.text(toolUse.get("name"));
    if (name == null || name.isBlank()) {
      throw new MalformedResponseException(errorContext().provider()
          + " started a toolUse block without a name", errorContext(), null);
    }
    emit(new ChatChunk.ToolCallDelta(index(payload),
        BedrockResponseDecoder.nonEmpty(BedrockResponseDecoder.text(toolUse.get("toolUseId"))), name,
        ""));
  }

  private void onBlockDelta(JsonNode payload) {
    JsonNode delta = payload.path("delta");
    String text = BedrockResponseDecoder.text(delta.get("text"));
    if (text != null) {
      if (!text.isEmpty()) {
        emit(new ChatChunk.TextDelta(text));
      }
      return;
    }
    JsonNode toolUse = delta.get("toolUse");
    if (toolUse != null && toolUse.isObject()) {
      String input = BedrockResponseDecoder.text(toolUse.get("input"));
      if (input != null && !input.isEmpty()) {
        emit(new ChatChunk.ToolCallDelta(index(payload), null, null, input));
      }
      return;
    }
    JsonNode reasoning = delta.get("reasoningContent");
    if (reasoning != null && reasoning.isObject()) {
      String reasoningText = BedrockResponseDecoder.text(reasoning.get("text"));
      if (reasoningText != null && !reasoningText.isEmpty()) {
        emit(new ChatChunk.ThinkingDelta(reasoningText, null, false));
      }
      String signature = BedrockResponseDecoder.nonEmpty(
          BedrockResponseDecoder.text(reasoning.get("signature")));
      if (signature != null) {
        emit(new ChatChunk.ThinkingDelta("", signature, false));
      }
      String redacted = BedrockResponseDecoder.nonEmpty(
          BedrockResponseDecoder.text(reasoning.get("redactedContent")));
      if (redacted != null) {
        emit(new ChatChunk.ThinkingDelta("", redacted, true));
      }
    }
  }

  private void onMessageStop(JsonNode payload) {
    String stop = BedrockResponseDecoder.text(payload.get("stopReason"));
    emit(new ChatChunk.Finish(BedrockResponseDecoder.finishReason(stop), stop));
    sawMessageStop = true;
    if (sawMetadata) {
      complete();
    }
  }

  private void onMetadata(JsonNode payload) {
    Usage usage = BedrockResponseDecoder.usage(payload.get("usage"));
    if (usage != null) {
      emit(new ChatChunk.UsageUpdate(usage));
    }
    sawMetadata = true;
    if (sawMessageStop) {
      complete();
    }
  }

  @Override
  protected void endOfInput() {
    if (sawMessageStop) {
      complete(); // metadata is optional: the answer itself is whole
      return;
    }
    throw interrupted("stream ended before " + errorContext().provider() + " sent messageStop");
  }

  private JsonNode payload(EventStreamMessage message, String eventType) {
    JsonNode node;
    try {
      node = mapper.readTree(message.payload());
    } catch (IOException e) {
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not valid JSON (event " + eventType + ", " + message.payload().length + " bytes)",
          errorContext(), e);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not a JSON object (event " + eventType + ")", errorContext(), null);
    }
    return node;
  }

  private static @Nullable Integer index(JsonNode payload) {
    JsonNode index = payload.get("contentBlockIndex");
    return index != null && index.canConvertToInt() ? Integer.valueOf(index.asInt()) : null;
  }
}

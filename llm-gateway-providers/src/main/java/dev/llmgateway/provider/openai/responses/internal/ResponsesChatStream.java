package dev.llmgateway.provider.openai.responses.internal;

import static dev.llmgateway.provider.openai.responses.internal.ResponsesResponseDecoder.nonEmpty;
import static dev.llmgateway.provider.openai.responses.internal.ResponsesResponseDecoder.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.provider.internal.http.SseChatStream;
import dev.llmgateway.provider.internal.sse.SseEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.Call;
import okhttp3.Response;

/**
 * A Responses API stream: SSE events with {@code event: <type>} lines whose data objects repeat the type
 * in {@code type} (read from the data, else from the {@code event:} line).
 *
 * <p>Mapping: {@code response.created} / {@code response.in_progress} give the {@link ChatChunk.Start}
 * (response id and model); {@code response.output_item.added} of a {@code function_call} gives a
 * {@link ChatChunk.ToolCallDelta} with {@code index = output_index}, {@code id = call_id} and the name;
 * {@code response.function_call_arguments.delta} gives {@code ToolCallDelta(output_index, null, null,
 * delta)}; {@code response.output_text.delta} a {@link ChatChunk.TextDelta};
 * {@code response.refusal.delta} a {@link ChatChunk.RefusalDelta};
 * {@code response.reasoning_summary_text.delta} a {@link ChatChunk.ThinkingDelta} (a blank line goes
 * between summary parts, as in the blocking mapping); {@code response.output_item.done} of a reasoning
 * item with {@code encrypted_content} gives {@code ThinkingDelta("", encrypted_content, redacted=true)},
 * which closes that thinking part with its signature. An item whose text, summary or arguments arrived
 * only in its {@code output_item.done} is emitted from there, so servers that skip delta events still
 * give the whole answer.
 *
 * <p>End: {@code response.completed} and {@code response.incomplete} give a {@link ChatChunk.Finish}
 * (see {@link ResponsesResponseDecoder#finishReason}) and a {@link ChatChunk.UsageUpdate}, and complete
 * the stream; an {@code error} event and {@code response.failed} with an {@code error} are thrown as the
 * mapped exception ({@link ResponsesErrorDecoder}). A body that ends before a terminal event is a
 * {@link dev.llmgateway.error.StreamInterruptedException} saying so. Other events
 * ({@code content_part.*}, {@code *.done} text events, built-in tool events) are ignored.
 */
public final class ResponsesChatStream extends SseChatStream {
  private final ObjectMapper mapper;
  private final ResponsesErrorDecoder errors;

  /** Output indexes of function calls whose first fragment was emitted, with the argument chars since. */
  private final Map<Integer, Integer> toolArgumentChars = new HashMap<>();
  /** Output indexes whose text or refusal arrived as deltas. */
  private final Set<Integer> textStreamed = new HashSet<>();
  /** Output indexes of reasoning items whose summary arrived as deltas. */
  private final Set<Integer> summaryStreamed = new HashSet<>();
  private boolean sawFunctionCall;
  /** Whether the last part the accumulator holds is thinking text still without a signature. */
  private boolean thinkingOpen;
  private int lastSummaryItem = -1;
  private int lastSummaryPart = -1;

  public ResponsesChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext, ObjectMapper mapper, ResponsesErrorDecoder errors) {
    super(call, response, context, errorContext);
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  @Override
  protected void onEvent(SseEvent event) {
    String data = event.data();
    if (data.isBlank()) {
      return;
    }
    JsonNode node;
    try {
      node = mapper.readTree(data);
    } catch (IOException e) {
      if (inputEnded()) {
        throw interrupted("stream ended in the middle of an event, before " + errorContext().provider()
            + " sent a terminal event");
      }
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not valid JSON (" + data.length() + " chars)", errorContext(), e);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not a JSON object", errorContext(), null);
    }
    String type = text(node.get("type"));
    switch (type != null ? type : event.event()) {
      case "response.created", "response.in_progress", "response.queued" -> {
        JsonNode response = node.path("response");
        emitStart(nonEmpty(text(response.get("id"))), nonEmpty(text(response.get("model"))));
      }
      case "response.output_item.added" -> onItemAdded(node);
      case "response.output_text.delta" -> onText(node, false);
      case "response.refusal.delta" -> onText(node, true);
      case "response.function_call_arguments.delta" -> {
        String delta = text(node.get("delta"));
        if (delta != null && !delta.isEmpty()) {
          int index = outputIndex(node);
          toolArgumentChars.merge(index, delta.length(), Integer::sum);
          emitTool(new ChatChunk.ToolCallDelta(index, null, null, delta));
        }
      }
      case "response.reasoning_summary_text.delta" -> {
        String delta = text(node.get("delta"));
        if (delta != null && !delta.isEmpty()) {
          int index = outputIndex(node);
          summaryStreamed.add(index);
          emitThinking(index, node.path("summary_index").asInt(0), delta);
        }
      }
      case "response.output_item.done" -> onItemDone(node);
      case "response.completed", "response.incomplete" -> onTerminal(node.path("response"),
          type != null ? type : event.event());
      case "response.failed" -> onFailed(node.path("response"));
      case "error" -> throw errors.fromErrorEvent(node, errorContext());
      default -> {
        // content_part.*, output_text.done, reasoning_summary_part.*, built-in tools: nothing to add
      }
    }
  }

  private void onItemAdded(JsonNode node) {
    JsonNode item = node.path("item");
    if ("function_call".equals(text(item.get("type")))) {
      int index = outputIndex(node);
      sawFunctionCall = true;
      String arguments = text(item.get("arguments"));
      String first = arguments != null ? arguments : "";
      toolArgumentChars.put(index, first.length());
      emitTool(new ChatChunk.ToolCallDelta(index, ResponsesResponseDecoder.callId(item),
          nonEmpty(text(item.get("name"))), first));
    }
  }

  private void onText(JsonNode node, boolean refusal) {
    String delta = text(node.get("delta"));
    if (delta == null || delta.isEmpty()) {
      return;
    }
    textStreamed.add(outputIndex(node));
    if (refusal) {
      emit(new ChatChunk.RefusalDelta(delta));
    } else {
      thinkingOpen = false;
      emit(new ChatChunk.TextDelta(delta));
    }
  }

  private void onItemDone(JsonNode node) {
    JsonNode item = node.path("item");
    int index = outputIndex(node);
    switch (String.valueOf(text(item.get("type")))) {
      case "function_call" -> {
        sawFunctionCall = true;
        Integer streamed = toolArgumentChars.get(index);
        String arguments = text(item.get("arguments"));
        if (streamed == null) {
          toolArgumentChars.put(index, arguments != null ? arguments.length() : 0);
          emitTool(new ChatChunk.ToolCallDelta(index, ResponsesResponseDecoder.callId(item),
              nonEmpty(text(item.get("name"))), arguments != null ? arguments : ""));
        } else if (streamed == 0 && arguments != null && !arguments.isEmpty()) {
          toolArgumentChars.put(index, arguments.length());
          emitTool(new ChatChunk.ToolCallDelta(index, null, null, arguments));
        }
      }
      case "message" -> {
        if (textStreamed.contains(index)) {
          return;
        }
        for (JsonNode content : item.path("content")) {
          String kind = text(content.get("type"));
          if ("output_text".equals(kind)) {
            String t = text(content.get("text"));
            if (t != null && !t.isEmpty()) {
              thinkingOpen = false;
              emit(new ChatChunk.TextDelta(t));
            }
          } else if ("refusal".equals(kind)) {
            String r = text(content.get("refusal"));
            emit(new ChatChunk.RefusalDelta(r != null ? r : ""));
          }
        }
      }
      case "reasoning" -> {
        if (!summaryStreamed.contains(index)) {
          int part = 0;
          for (JsonNode summary : item.path("summary")) {
            String t = text(summary.get("text"));
            if (t != null && !t.isEmpty()) {
              emitThinking(index, part, t);
            }
            part++;
          }
        }
        String encrypted = ResponsesResponseDecoder.encryptedContent(item);
        if (encrypted != null) {
          emit(new ChatChunk.ThinkingDelta("", encrypted, true));
          thinkingOpen = false;
        }
      }
      default -> {
        // other item types carry nothing this model holds
      }
    }
  }

  private void onTerminal(JsonNode response, String type) {
    emitStart(nonEmpty(text(response.get("id"))), nonEmpty(text(response.get("model"))));
    String status = text(response.get("status"));
    if (status == null) {
      status = type.equals("response.completed") ? "completed" : "incomplete";
    }
    String incomplete = text(response.path("incomplete_details").get("reason"));
    boolean functionCalls = sawFunctionCall
        || ResponsesResponseDecoder.hasFunctionCall(response.path("output"));
    emit(new ChatChunk.Finish(ResponsesResponseDecoder.finishReason(status, incomplete, functionCalls),
        ResponsesResponseDecoder.rawFinishReason(status, incomplete)));
    Usage usage = ResponsesResponseDecoder.usage(response.get("usage"));
    if (usage != null) {
      emit(new ChatChunk.UsageUpdate(usage));
    }
    complete();
  }

  private void onFailed(JsonNode response) {
    JsonNode error = response.get("error");
    if (error != null && error.isObject()) {
      throw errors.fromFailedResponse(response, errorContext());
    }
    onTerminal(response, "response.failed");
  }

  private void emitThinking(int item, int part, String text) {
    if (thinkingOpen && (item != lastSummaryItem || part != lastSummaryPart)) {
      emit(new ChatChunk.ThinkingDelta(ResponsesResponseDecoder.SUMMARY_SEPARATOR, null, false));
    }
    lastSummaryItem = item;
    lastSummaryPart = part;
    thinkingOpen = true;
    emit(new ChatChunk.ThinkingDelta(text, null, false));
  }

  private void emitTool(ChatChunk.ToolCallDelta delta) {
    thinkingOpen = false;
    emit(delta);
  }

  private static int outputIndex(JsonNode node) {
    return node.path("output_index").asInt(0);
  }

  @Override
  protected void endOfInput() {
    throw interrupted("stream ended before " + errorContext().provider()
        + " sent response.completed, response.incomplete or response.failed");
  }
}

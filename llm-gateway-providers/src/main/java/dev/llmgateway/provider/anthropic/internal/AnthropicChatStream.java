package dev.llmgateway.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
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
import org.jspecify.annotations.Nullable;

/**
 * An Anthropic Messages stream: Server-Sent Events whose {@code event:} name equals the {@code type} of
 * their JSON data. Events are told apart by that {@code type} (the event name when the data has none).
 *
 * <ul>
 *   <li>{@code message_start}: the {@link ChatChunk.Start} (message id, model, the {@code request-id}
 *       header), then a {@link ChatChunk.UsageUpdate} with the input side of the usage;
 *   <li>{@code content_block_start}: for {@code tool_use}, a {@link ChatChunk.ToolCallDelta} with the
 *       block index as its index, the id, the name and {@code ""}; for {@code thinking}, an empty
 *       {@link ChatChunk.ThinkingDelta} that opens the block; for {@code redacted_thinking}, a redacted
 *       {@link ChatChunk.ThinkingDelta} carrying the {@code data}; text in a {@code text} start, if any;
 *   <li>{@code content_block_delta}: {@code text_delta} to {@link ChatChunk.TextDelta},
 *       {@code input_json_delta} to {@link ChatChunk.ToolCallDelta} (index, no id, no name, the
 *       {@code partial_json} as sent: assembly is the accumulator's job, so an input cut short by
 *       {@code max_tokens} stays as the raw incomplete text), {@code thinking_delta} to
 *       {@link ChatChunk.ThinkingDelta}, {@code signature_delta} to a {@link ChatChunk.ThinkingDelta} with
 *       empty text and the signature; other deltas ({@code citations_delta}) are skipped, and so are
 *       deltas of blocks this adapter does not map (server tools);
 *   <li>{@code message_delta}: {@code stop_reason} to {@link ChatChunk.Finish} (preceded, for a refusal
 *       with {@code stop_details.explanation}, by a {@link ChatChunk.RefusalDelta}); its cumulative
 *       {@code usage} merged with the earlier counts to a {@link ChatChunk.UsageUpdate};
 *   <li>{@code message_stop}: the stream is complete;
 *   <li>{@code ping} and unknown events: ignored; {@code error}: thrown from {@code next()} as the mapped
 *       exception ({@link AnthropicErrorDecoder#fromStreamError}).
 * </ul>
 *
 * <p>A body that ends before {@code message_stop} is a
 * {@link dev.llmgateway.error.StreamInterruptedException}, even after a {@code message_delta}. Data
 * payloads padded with trailing spaces, as recent API versions send, parse as usual.
 */
public final class AnthropicChatStream extends SseChatStream {
  private final ObjectMapper mapper;
  private final AnthropicErrorDecoder errors;
  private final AnthropicUsageTally usage = new AnthropicUsageTally();
  /** Indexes of tool_use blocks: only their input_json_delta events are forwarded. */
  private final Set<Integer> toolBlocks = new HashSet<>();
  /** A tool_use start's non-empty input, sent at its stop if no input_json_delta arrived. */
  private final Map<Integer, String> startInputs = new HashMap<>();

  public AnthropicChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext, ObjectMapper mapper, AnthropicErrorDecoder errors) {
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
    JsonNode payload;
    try {
      payload = mapper.readTree(data);
    } catch (IOException e) {
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not valid JSON (event " + event.event() + ", " + data.length() + " chars)",
          errorContext(), e);
    }
    if (payload == null || !payload.isObject()) {
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not a JSON object (event " + event.event() + ")", errorContext(), null);
    }
    String type = AnthropicResponseDecoder.text(payload.get("type"));
    switch (type != null ? type : event.event()) {
      case "message_start" -> onMessageStart(payload.path("message"));
      case "content_block_start" -> onBlockStart(index(payload), payload.path("content_block"));
      case "content_block_delta" -> onBlockDelta(index(payload), payload.path("delta"));
      case "content_block_stop" -> onBlockStop(index(payload));
      case "message_delta" -> onMessageDelta(payload);
      case "message_stop" -> complete();
      case "error" -> throw errors.fromStreamError(payload, errorContext());
      default -> {
        // ping, and event types added after this adapter was written
      }
    }
  }

  private void onMessageStart(JsonNode message) {
    emitStart(AnthropicResponseDecoder.nonEmpty(AnthropicResponseDecoder.text(message.get("id"))),
        AnthropicResponseDecoder.nonEmpty(AnthropicResponseDecoder.text(message.get("model"))));
    JsonNode u = message.get("usage");
    if (u != null && u.isObject()) {
      usage.merge(u);
      emit(new ChatChunk.UsageUpdate(usage.toUsage()));
    }
  }

  private void onBlockStart(@Nullable Integer index, JsonNode block) {
    String type = AnthropicResponseDecoder.text(block.get("type"));
    if (type == null) {
      return;
    }
    switch (type) {
      case "text" -> {
        String text = AnthropicResponseDecoder.text(block.get("text"));
        if (text != null && !text.isEmpty()) {
          emit(new ChatChunk.TextDelta(text));
        }
      }
      case "tool_use" -> {
        String name = AnthropicResponseDecoder.text(block.get("name"));
        if (name == null || name.isBlank()) {
          throw new MalformedResponseException(errorContext().provider()
              + " started a tool_use block without a name", errorContext(), null);
        }
        if (index != null) {
          toolBlocks.add(index);
          JsonNode input = block.get("input");
          if (input != null && input.isObject() && !input.isEmpty()) {
            startInputs.put(index, input.toString());
          }
        }
        emit(new ChatChunk.ToolCallDelta(index,
            AnthropicResponseDecoder.nonEmpty(AnthropicResponseDecoder.text(block.get("id"))), name,
            ""));
      }
      case "thinking" -> {
        String text = AnthropicResponseDecoder.text(block.get("thinking"));
        String signature = AnthropicResponseDecoder.nonEmpty(
            AnthropicResponseDecoder.text(block.get("signature")));
        emit(new ChatChunk.ThinkingDelta(text != null ? text : "", signature, false));
      }
      case "redacted_thinking" -> emit(new ChatChunk.ThinkingDelta("",
          AnthropicResponseDecoder.nonEmpty(AnthropicResponseDecoder.text(block.get("data"))), true));
      default -> {
        // server_tool_use, web_search_tool_result...: not part of the common model
      }
    }
  }

  private void onBlockDelta(@Nullable Integer index, JsonNode delta) {
    String type = AnthropicResponseDecoder.text(delta.get("type"));
    if (type == null) {
      return;
    }
    switch (type) {
      case "text_delta" -> {
        String text = AnthropicResponseDecoder.text(delta.get("text"));
        if (text != null && !text.isEmpty()) {
          emit(new ChatChunk.TextDelta(text));
        }
      }
      case "input_json_delta" -> {
        if (index != null && toolBlocks.contains(index)) {
          startInputs.remove(index);
          String json = AnthropicResponseDecoder.text(delta.get("partial_json"));
          emit(new ChatChunk.ToolCallDelta(index, null, null, json != null ? json : ""));
        }
      }
      case "thinking_delta" -> {
        String text = AnthropicResponseDecoder.text(delta.get("thinking"));
        if (text != null && !text.isEmpty()) {
          emit(new ChatChunk.ThinkingDelta(text, null, false));
        }
      }
      case "signature_delta" -> {
        String signature = AnthropicResponseDecoder.nonEmpty(
            AnthropicResponseDecoder.text(delta.get("signature")));
        if (signature != null) {
          emit(new ChatChunk.ThinkingDelta("", signature, false));
        }
      }
      default -> {
        // citations_delta and delta types added later
      }
    }
  }

  private void onBlockStop(@Nullable Integer index) {
    if (index != null) {
      String input = startInputs.remove(index);
      if (input != null) {
        emit(new ChatChunk.ToolCallDelta(index, null, null, input));
      }
    }
  }

  private void onMessageDelta(JsonNode payload) {
    JsonNode delta = payload.path("delta");
    String stop = AnthropicResponseDecoder.text(delta.get("stop_reason"));
    if (stop != null) {
      if (stop.equals("refusal")) {
        String explanation = AnthropicResponseDecoder.refusalExplanation(delta.get("stop_details"));
        if (explanation != null) {
          emit(new ChatChunk.RefusalDelta(explanation));
        }
      }
      emit(new ChatChunk.Finish(AnthropicResponseDecoder.finishReason(stop), stop));
    }
    JsonNode u = payload.get("usage");
    if (u != null && u.isObject()) {
      usage.merge(u);
      emit(new ChatChunk.UsageUpdate(usage.toUsage()));
    }
  }

  @Override
  protected void endOfInput() {
    throw interrupted("stream ended before " + errorContext().provider() + " sent message_stop");
  }

  private static @Nullable Integer index(JsonNode payload) {
    JsonNode index = payload.get("index");
    return index != null && index.canConvertToInt() ? Integer.valueOf(index.asInt()) : null;
  }
}

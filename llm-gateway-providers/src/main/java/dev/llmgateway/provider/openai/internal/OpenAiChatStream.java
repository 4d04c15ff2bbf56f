package dev.llmgateway.provider.openai.internal;

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
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI Chat Completions stream: {@code data:} events holding {@code chat.completion.chunk}s, ended by
 * {@code data: [DONE]}.
 *
 * <p>Maps choice 0 only (other choices of {@code n > 1} are ignored): {@code delta.content} to
 * {@link ChatChunk.TextDelta}, {@code delta.refusal} to {@link ChatChunk.RefusalDelta},
 * {@code delta.reasoning_content} (DeepSeek, vLLM) to {@link ChatChunk.ThinkingDelta}, each
 * {@code delta.tool_calls[]} element to a {@link ChatChunk.ToolCallDelta} as sent (index, id, name,
 * arguments fragment; assembly is {@link dev.llmgateway.ChatResponseAccumulator}'s job),
 * {@code finish_reason} to {@link ChatChunk.Finish}, and a non-null {@code usage} (or Groq's
 * {@code x_groq.usage}) to {@link ChatChunk.UsageUpdate}. A payload with a top-level {@code error} is
 * thrown as the mapped exception. Chunks with an empty id and model and no choices (Azure's leading
 * {@code prompt_filter_results} chunk) or with choices that hold only {@code content_filter_results}
 * (Azure's trailing annotations) map to nothing.
 *
 * <p>End: {@code [DONE]} completes the stream. If the body ends without it, the stream is still accepted
 * when choice 0 sent a {@code finish_reason} (some compatible servers never send {@code [DONE]}); without
 * either, it is a {@link dev.llmgateway.error.StreamInterruptedException}.
 */
public final class OpenAiChatStream extends SseChatStream {
  /** The payload that ends an OpenAI stream. */
  public static final String DONE = "[DONE]";

  private final ObjectMapper mapper;
  private final OpenAiErrorDecoder errors;
  private boolean sawFinish;

  public OpenAiChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext, ObjectMapper mapper, OpenAiErrorDecoder errors) {
    super(call, response, context, errorContext);
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  @Override
  protected void onEvent(SseEvent event) {
    String data = event.data();
    if (data.equals(DONE) || data.strip().equals(DONE)) {
      complete();
      return;
    }
    if (data.isBlank()) {
      return;
    }
    JsonNode chunk;
    try {
      chunk = mapper.readTree(data);
    } catch (IOException e) {
      if (inputEnded()) {
        throw interrupted("stream ended in the middle of an event, before " + errorContext().provider()
            + " said it was complete");
      }
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not valid JSON (" + data.length() + " chars)", errorContext(), e);
    }
    if (chunk == null || !chunk.isObject()) {
      throw new MalformedResponseException("a stream event of " + errorContext().provider()
          + " is not a JSON object", errorContext(), null);
    }
    if (OpenAiErrorDecoder.isError(chunk)) {
      throw errors.fromStreamError(chunk, errorContext());
    }
    String id = nonEmpty(OpenAiResponseDecoder.text(chunk.get("id")));
    String model = nonEmpty(OpenAiResponseDecoder.text(chunk.get("model")));
    if (id != null || model != null) {
      // Azure leads with an anonymous chunk (empty id and model, only prompt_filter_results): the
      // Start waits for the first chunk that says who answers
      emitStart(id, model);
    }
    JsonNode choice = OpenAiResponseDecoder.choiceZero(chunk);
    if (choice != null) {
      onChoice(choice);
    }
    Usage usage = OpenAiResponseDecoder.usage(chunk.get("usage"));
    if (usage == null) {
      usage = OpenAiResponseDecoder.usage(chunk.path("x_groq").get("usage"));
    }
    if (usage != null) {
      emit(new ChatChunk.UsageUpdate(usage));
    }
  }

  private void onChoice(JsonNode choice) {
    JsonNode delta = choice.path("delta");
    String reasoning = OpenAiResponseDecoder.text(delta.get("reasoning_content"));
    if (reasoning != null && !reasoning.isEmpty()) {
      emit(new ChatChunk.ThinkingDelta(reasoning, null, false));
    }
    String content = OpenAiResponseDecoder.contentText(delta.get("content"));
    if (content != null && !content.isEmpty()) {
      emit(new ChatChunk.TextDelta(content));
    }
    String refusal = OpenAiResponseDecoder.text(delta.get("refusal"));
    if (refusal != null && !refusal.isEmpty()) {
      emit(new ChatChunk.RefusalDelta(refusal));
    }
    JsonNode toolCalls = delta.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode call : toolCalls) {
        JsonNode index = call.get("index");
        JsonNode function = call.path("function");
        emit(new ChatChunk.ToolCallDelta(
            index != null && index.canConvertToInt() ? Integer.valueOf(index.asInt()) : null,
            nonEmpty(OpenAiResponseDecoder.text(call.get("id"))),
            nonEmpty(OpenAiResponseDecoder.text(function.get("name"))),
            OpenAiResponseDecoder.arguments(function.get("arguments"))));
      }
    }
    String finish = OpenAiResponseDecoder.text(choice.get("finish_reason"));
    if (finish != null) {
      sawFinish = true;
      emit(new ChatChunk.Finish(OpenAiResponseDecoder.finishReason(finish), finish));
    }
  }

  @Override
  protected void endOfInput() {
    if (sawFinish) {
      complete(); // lenient: a compatible server that never sends [DONE]
    } else {
      throw interrupted("stream ended before " + errorContext().provider()
          + " sent a finish_reason or [DONE]");
    }
  }

  private static @Nullable String nonEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
